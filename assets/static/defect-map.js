// The defect reporter's map, a progressive enhancement: without JavaScript
// (or without Leaflet) the pages work as plain forms and lists.
//   data-mode="picker"  the report form: a click (or Enter, for the map's
//                       centre) sets the point and fills the latitude and
//                       longitude fields; typing in them moves the point.
//   data-mode="list"    the list: the reports in view, from the GeoJSON
//                       feed, as circles linking to their pages.
// Tiles come from data-tiles (MITWIRKEN_TILE_URL); without one the map is
// a plain grid with the city's bounding box as its outline.
(function () {
	'use strict';
	var el = document.getElementById('defect-map');
	if (!el || typeof L === 'undefined')
		return;
	var box = (el.dataset.bbox || '').split(',').map(Number);
	if (box.length !== 4 || box.some(isNaN))
		return;
	var german = el.dataset.lang !== 'en';
	var bounds = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);

	el.hidden = false;
	el.setAttribute('role', 'application');
	el.setAttribute('aria-label', el.dataset.label || '');
	var map = L.map(el, { maxBounds: bounds.pad(0.5), minZoom: 10,
		keyboard: true, attributionControl: !!el.dataset.tiles });
	map.fitBounds(bounds);

	if (el.dataset.tiles) {
		L.tileLayer(el.dataset.tiles, { maxZoom: 19,
			attribution: el.dataset.attribution || '' }).addTo(map);
	} else {
		el.classList.add('grid');
		grid(map, bounds);
	}
	if (el.dataset.mode === 'picker')
		picker(map, el);
	else if (el.dataset.mode === 'list' && el.dataset.geojson)
		list(map, el.dataset.geojson);

	// A graticule that keeps about 60 px between its lines at any zoom,
	// drawn over the view, and the city's outline: enough to find a
	// place relative to others without a tile server.
	function grid(m, b) {
		var lines = L.layerGroup().addTo(m);
		var style = { color: '#9aa', weight: 1, interactive: false };
		var steps = [0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005,
			0.0002, 0.0001];
		function draw() {
			var v = m.getBounds().pad(0.2);
			var px = m.getSize().x / (v.getEast() - v.getWest());
			var s = steps[steps.length - 1], i, lat, lon;
			for (i = 0; i < steps.length; i++) {
				if (steps[i] * px < 60) {
					s = steps[Math.max(i - 1, 0)];
					break;
				}
			}
			lines.clearLayers();
			for (lat = Math.floor(v.getSouth() / s) * s; lat <= v.getNorth(); lat += s)
				lines.addLayer(L.polyline([[lat, v.getWest()], [lat, v.getEast()]], style));
			for (lon = Math.floor(v.getWest() / s) * s; lon <= v.getEast(); lon += s)
				lines.addLayer(L.polyline([[v.getSouth(), lon], [v.getNorth(), lon]], style));
		}
		m.on('moveend', draw);
		draw();
		L.rectangle(b, { color: '#1a4d8f', weight: 3, fill: false,
			interactive: false }).addTo(m);
	}

	function number(text) {
		var v = String(text || '').trim().replace(',', '.');
		return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
	}

	function format(v) {
		var t = v.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
		return german ? t.replace('.', ',') : t;
	}

	function picker(m, container) {
		var lat = document.getElementById('lat');
		var lon = document.getElementById('lon');
		var marker = null;
		if (!lat || !lon)
			return;
		if (container.dataset.hint) {
			var hint = document.createElement('p');
			hint.className = 'hint';
			hint.id = 'map-hint';
			hint.textContent = container.dataset.hint;
			container.parentNode.insertBefore(hint, container);
			container.setAttribute('aria-describedby', 'map-hint');
		}
		function place(ll, fill) {
			if (!bounds.contains(ll))
				return;
			if (marker)
				marker.setLatLng(ll);
			else
				marker = L.circleMarker(ll, { radius: 9, color: '#b00020',
					weight: 3, fillOpacity: 0.4 }).addTo(m);
			if (fill) {
				lat.value = format(ll.lat);
				lon.value = format(ll.lng);
			}
		}
		function fromFields() {
			var a = number(lat.value), b = number(lon.value);
			if (!isNaN(a) && !isNaN(b))
				place(L.latLng(a, b), false);
		}
		m.on('click', function (e) { place(e.latlng, true); });
		container.addEventListener('keydown', function (e) {
			if (e.key === 'Enter') {
				e.preventDefault();
				place(m.getCenter(), true);
			}
		});
		lat.addEventListener('change', fromFields);
		lon.addEventListener('change', fromFields);
		fromFields();
		if (marker)
			m.setView(marker.getLatLng(), 16);
	}

	function list(m, url) {
		var layer = L.layerGroup().addTo(m);
		var pending = null;
		function load() {
			var b = m.getBounds();
			var q = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
				.map(function (v) { return v.toFixed(5); }).join(',');
			if (pending)
				pending.abort();
			pending = new AbortController();
			fetch(url + '?bbox=' + q, { signal: pending.signal,
				headers: { accept: 'application/geo+json, application/json' } })
				.then(function (r) { return r.ok ? r.json() : null; })
				.then(function (data) {
					if (!data || !Array.isArray(data.features))
						return;
					layer.clearLayers();
					data.features.forEach(function (f) { add(layer, f); });
				})
				.catch(function () {});
		}
		m.on('moveend', load);
		load();
	}

	// A report as a circle; its popup is built from text nodes, never markup.
	function add(layer, f) {
		var c = f.geometry && f.geometry.coordinates;
		var p = f.properties || {};
		if (!c || c.length < 2)
			return;
		var id = p.id || f.id;
		var link = document.createElement('a');
		link.href = (p.url || ('/maengel/' + id)) + '?lang=' + (german ? 'de' : 'en');
		link.textContent = [p.category_name || p.category || '', p.status_label || p.status || '']
			.filter(Boolean).join(': ') || ('#' + id);
		L.circleMarker([c[1], c[0]], { radius: 7, color: '#1a4d8f',
			weight: 2, fillOpacity: 0.5 }).bindPopup(link).addTo(layer);
	}
})();
