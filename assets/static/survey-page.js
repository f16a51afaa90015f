/*
 * The progressive survey page: the same definition the server-rendered
 * form uses, drawn by SurveyJS (survey-core, survey-js-ui; served from
 * /static, no CDN).  The answers go to the JSON API, which judges them
 * exactly as it judges the plain form: the server's verdict is the one
 * that counts, and its problems are shown next to the questions.
 * Without JavaScript the page shows a link to the plain form instead.
 */
(function () {
	"use strict";

	var root = document.getElementById("survey-app");
	if (!root || typeof Survey === "undefined")
		return;

	var id = root.getAttribute("data-survey");
	var lang = root.getAttribute("data-lang") || "de";
	var csrf = root.getAttribute("data-csrf") || "";
	var status = document.getElementById("survey-status");
	var codeInput = document.getElementById("access_code");
	var districtInput = document.getElementById("district");

	function say(text) {
		status.textContent = text;
		status.hidden = false;
		status.focus();
	}

	function texts() {
		return JSON.parse(root.getAttribute("data-texts") || "{}");
	}

	/*
	 * Completing waits for the server: only a 201 lets SurveyJS show
	 * its "thank you"; a refusal puts each problem on its question.
	 */
	var accepted = false;

	function send(survey, options) {
		if (accepted)
			return;
		options.allow = false;
		var body = { answers: survey.data };
		if (codeInput && codeInput.value)
			body.access_code = codeInput.value.trim();
		if (districtInput && districtInput.value)
			body.district = districtInput.value;
		status.hidden = true;
		fetch("/api/v1/surveys/" + id + "/responses", {
			method: "POST",
			credentials: "same-origin",
			headers: {
				"Content-Type": "application/json",
				"Accept": "application/json",
				"X-CSRF-Token": csrf
			},
			body: JSON.stringify(body)
		}).then(function (r) {
			return r.json().then(function (j) {
				return { status: r.status, body: j };
			});
		}).then(function (r) {
			var t = texts(), first = null;
			if (r.status === 201) {
				accepted = true;
				survey.completedHtml = "<p>" + t.done + "</p>";
				survey.doComplete();
				return;
			}
			var e = r.body && r.body.error ? r.body.error : {};
			Object.keys(e.fields || {}).forEach(function (path) {
				var name = path.replace(/^\//, "").split("/")[0];
				var q = survey.getQuestionByName(name);
				if (q) {
					q.addError(e.fields[path]);
					first = first || q;
				}
			});
			if (first)
				first.focus(true);
			/* The server's codes in the reader's language. */
			say(e.code === "already_responded" ? t.already :
			    e.code === "survey_not_open" ? t.not_open :
			    e.code === "unauthorized" ? t.signin_needed :
			    t.failed);
		}).catch(function () {
			say(texts().offline);
		});
	}

	fetch("/api/v1/surveys/" + id, {
		credentials: "same-origin",
		headers: { "Accept": "application/json" }
	}).then(function (r) {
		if (!r.ok)
			throw new Error("HTTP " + r.status);
		return r.json();
	}).then(function (s) {
		/*
		 * A definition's "default" texts are German (mitwirken's first
		 * language); SurveyJS's own default locale is English.
		 */
		Survey.surveyLocalization.defaultLocale = "de";
		var survey = new Survey.Model(s.definition);
		survey.showTitle = false;
		survey.locale = lang;
		survey.showProgressBar = "top";
		survey.clearInvisibleValues = "onComplete";
		survey.onCompleting.add(send);
		document.getElementById("survey-fallback").hidden = true;
		survey.render(document.getElementById("survey-render"));
	}).catch(function () {
		say(texts().load_failed);
	});
})();
