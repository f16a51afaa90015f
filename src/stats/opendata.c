/*
 * Open data: published ideas, defect reports, the project registry, the
 * projects' success criteria with their measurements, and published
 * survey results, as CSV and JSON downloads for anyone, with a catalogue
 * (GET /api/v1/opendata, the page /offene-daten) that describes every
 * column and names the licence from the opendata_license setting.
 *
 * Nothing personal leaves: no author, reporter, e-mail, contact, address
 * or account; no text a moderator has not published (ideas in state
 * published only; of defect reports only category, status, place and
 * times, never the reporter's description).  Always current: each
 * download reads the tables as they are, streamed (src/core/stream.c) in
 * keyset pages of short statements, so memory stays one page however
 * large the city's data grows (the survey export's pattern).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"
#include "stats/evaluation.h"

#define OD_PAGE		"5000"
#define OD_PAGE_ROWS	5000
/* Surveys per page: each brings its definition and its tallies. */
#define OD_SURVEYS	"20"
#define OD_SURVEY_ROWS	20

#define UTC(x)	"to_char(" x " AT TIME ZONE 'UTC', " \
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* Published ideas: what /ideen shows, without who wrote them. */
static const char SQL_OD_IDEAS[] =
    "SELECT i.id, i.title, i.description, f.slug,"
    " (SELECT string_agg(g.slug, ';' ORDER BY g.position) FROM idea_goals ig"
    "  JOIN goals g ON g.id = ig.goal_id WHERE ig.idea_id = i.id),"
    " d.slug, i.status, i.support_count, i.channel, " UTC("i.created_at") ","
    " " UTC("i.published_at") ","
    " (SELECT string_agg(pi.project_id::text, ';' ORDER BY pi.project_id)"
    "  FROM project_ideas pi WHERE pi.idea_id = i.id)"
    " FROM ideas i JOIN fields f ON f.id = i.field_id"
    " LEFT JOIN districts d ON d.id = i.district_id"
    " WHERE i.state = 'published' AND i.id > $1::bigint"
    " ORDER BY i.id LIMIT " OD_PAGE;

/*
 * Published defect reports: category, status, place, times.  Days are
 * whole elapsed days, as in the statistics (stats_durations).
 */
static const char SQL_OD_DEFECTS[] =
    "SELECT r.id, c.code, f.slug, r.status, d.slug,"
    " round(r.lat::numeric, 5), round(r.lon::numeric, 5), r.channel,"
    " " UTC("r.created_at") ", " UTC("r.acknowledged_at") ","
    " " UTC("r.closed_at") ","
    " floor(extract(epoch FROM r.acknowledged_at - r.created_at) / 86400)"
    "  ::int,"
    " CASE WHEN r.status = 'resolved' THEN floor(extract(epoch FROM"
    "  r.closed_at - r.created_at) / 86400)::int END,"
    " r.support_count"
    " FROM defect_reports r JOIN defect_categories c ON c.id = r.category_id"
    " LEFT JOIN fields f ON f.id = c.field_id"
    " LEFT JOIN districts d ON d.id = r.district_id"
    " WHERE r.state = 'published' AND r.id > $1::bigint"
    " ORDER BY r.id LIMIT " OD_PAGE;

/* The registry is public; of the ideas it takes up only published ones. */
static const char SQL_OD_PROJECTS[] =
    "SELECT p.id, p.title_de, p.title_en, p.summary_de, p.summary_en,"
    " p.status,"
    " (SELECT string_agg(f.slug, ';' ORDER BY f.position)"
    "  FROM project_fields pf JOIN fields f ON f.id = pf.field_id"
    "  WHERE pf.project_id = p.id),"
    " (SELECT string_agg(g.slug, ';' ORDER BY g.position)"
    "  FROM project_goals pg JOIN goals g ON g.id = pg.goal_id"
    "  WHERE pg.project_id = p.id),"
    " d.slug, p.partners, p.starts_on, p.ends_on, p.budget_eur,"
    " p.decision_reason, " UTC("p.decided_at") ","
    " (SELECT string_agg(pi.idea_id::text, ';' ORDER BY pi.idea_id)"
    "  FROM project_ideas pi JOIN ideas i ON i.id = pi.idea_id"
    "  WHERE pi.project_id = p.id AND i.state = 'published'),"
    " (SELECT string_agg(ps.survey_id::text, ';' ORDER BY ps.survey_id)"
    "  FROM project_surveys ps WHERE ps.project_id = p.id),"
    " " UTC("p.created_at") ", " UTC("p.updated_at")
    " FROM projects p LEFT JOIN departments d ON d.id = p.department_id"
    " WHERE p.id > $1::bigint ORDER BY p.id LIMIT " OD_PAGE;

/*
 * One row per measurement, a criterion without any as one row without
 * one; a page is whole criteria (the keyset is the criterion).
 */
static const char SQL_OD_CRITERIA[] =
    "SELECT c.id, c.project_id, c.name_de, c.name_en, c.unit, c.baseline,"
    " c.baseline_on, c.target, c.target_on, c.source, c.derivation,"
    " (m->>'measured_on')::date, m->>'value', m->>'note'"
    " FROM (SELECT * FROM success_criteria WHERE id > $1::bigint"
    "  ORDER BY id LIMIT " OD_PAGE ") c"
    " LEFT JOIN LATERAL jsonb_array_elements(success_series(c.id)) m"
    "  ON true"
    " ORDER BY c.id, (m->>'measured_on')::date";

/* Surveys whose results are public, with the tallies results_build reads. */
static const char SQL_OD_SURVEYS[] =
    "SELECT s.id, s.title, s.definition::text,"
    " (SELECT coalesce(json_agg(json_build_array(t.kind, t.question, t.item,"
    "  t.value, t.n)), '[]') FROM survey_tally_rows(s.id, NULL, NULL) t)"
    "  ::text"
    " FROM surveys s WHERE s.results_public AND s.status <> 'draft'"
    " AND s.id > $1::bigint ORDER BY s.id LIMIT " OD_SURVEYS;

static const char SQL_OD_LICENSE[] =
    "SELECT value FROM settings WHERE key = 'opendata_license'";

static const char *const page_args[] = { "after", NULL };

/* Quiet: once the stream began, a failure can only cut it. */
#define OD_PAGE_OP(n, q)	{ .name = n, .sql = q, .kind = DB_READ, \
	.args = page_args, .quiet = 1, .replica = 1 }

static const struct db_op op_od_ideas =
    OD_PAGE_OP("opendata_ideas", SQL_OD_IDEAS);
static const struct db_op op_od_defects =
    OD_PAGE_OP("opendata_defects", SQL_OD_DEFECTS);
static const struct db_op op_od_projects =
    OD_PAGE_OP("opendata_projects", SQL_OD_PROJECTS);
static const struct db_op op_od_criteria =
    OD_PAGE_OP("opendata_criteria", SQL_OD_CRITERIA);
static const struct db_op op_od_surveys =
    OD_PAGE_OP("opendata_surveys", SQL_OD_SURVEYS);
static const struct db_op op_od_license = {
	.name = "opendata_license", .sql = SQL_OD_LICENSE, .kind = DB_READ,
	.replica = 1,
};

/* ---- The data dictionary ---- */

static const struct od_column ideas_cols[] = {
	{ "id", OD_INTEGER, "", "Nummer der Idee (/ideen/{id})",
	    "Number of the idea (/ideen/{id})" },
	{ "title", OD_STRING, "", "Titel, wie veröffentlicht",
	    "Title, as published" },
	{ "description", OD_STRING, "", "Beschreibung, wie veröffentlicht",
	    "Description, as published" },
	{ "field", OD_STRING, "", "Handlungsfeld (Kürzel, /api/v1/fields)",
	    "Field of action (slug, /api/v1/fields)" },
	{ "goals", OD_STRINGS, "", "Strategische Ziele (Kürzel, /api/v1/goals)",
	    "Strategic goals (slugs, /api/v1/goals)" },
	{ "district", OD_STRING, "", "Stadtbezirk (Kürzel), leer: keiner",
	    "District (slug), empty: none" },
	{ "status", OD_STRING, "", "Bearbeitungsstand: submitted, "
	    "under_review, accepted, in_implementation, implemented, "
	    "not_feasible, duplicate", "Status: submitted, under_review, "
	    "accepted, in_implementation, implemented, not_feasible, "
	    "duplicate" },
	{ "supports", OD_INTEGER, "Anzahl", "Unterstützungen",
	    "Supports" },
	{ "channel", OD_STRING, "", "Eingangsweg: online, paper, phone, "
	    "in_person", "Channel: online, paper, phone, in_person" },
	{ "submitted_at", OD_DATETIME, "UTC", "Eingereicht am",
	    "Submitted at" },
	{ "published_at", OD_DATETIME, "UTC", "Veröffentlicht am",
	    "Published at" },
	{ "project_ids", OD_INTEGERS, "", "Projekte, die die Idee aufgreifen",
	    "Projects taking the idea up" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct od_column defects_cols[] = {
	{ "id", OD_INTEGER, "", "Nummer der Meldung (/maengel/{id})",
	    "Number of the report (/maengel/{id})" },
	{ "category", OD_STRING, "", "Kategorie (Open311-Service-Code)",
	    "Category (Open311 service code)" },
	{ "field", OD_STRING, "", "Handlungsfeld der Kategorie, leer: keines",
	    "The category's field of action, empty: none" },
	{ "status", OD_STRING, "", "Stand: open, acknowledged, in_progress, "
	    "resolved, not_responsible, duplicate, rejected", "Status: open, "
	    "acknowledged, in_progress, resolved, not_responsible, duplicate, "
	    "rejected" },
	{ "district", OD_STRING, "", "Stadtbezirk (Kürzel), leer: unbekannt",
	    "District (slug), empty: unknown" },
	{ "lat", OD_NUMBER, "Grad (WGS 84)", "Breitengrad, auf 5 Stellen",
	    "Latitude, to 5 places" },
	{ "lon", OD_NUMBER, "Grad (WGS 84)", "Längengrad, auf 5 Stellen",
	    "Longitude, to 5 places" },
	{ "channel", OD_STRING, "", "Eingangsweg: online, paper, phone, "
	    "in_person, open311", "Channel: online, paper, phone, in_person, "
	    "open311" },
	{ "reported_at", OD_DATETIME, "UTC", "Gemeldet am", "Reported at" },
	{ "acknowledged_at", OD_DATETIME, "UTC", "Bestätigt am",
	    "Acknowledged at" },
	{ "closed_at", OD_DATETIME, "UTC", "Abgeschlossen am", "Closed at" },
	{ "ack_days", OD_INTEGER, "Tage", "Volle Tage bis zur Bestätigung",
	    "Whole days until acknowledged" },
	{ "resolve_days", OD_INTEGER, "Tage", "Volle Tage bis zur Behebung "
	    "(nur Status resolved)", "Whole days until resolved (status "
	    "resolved only)" },
	{ "supports", OD_INTEGER, "Anzahl", "„Betrifft mich auch“",
	    "\"Affects me too\"" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct od_column projects_cols[] = {
	{ "id", OD_INTEGER, "", "Nummer des Projekts (/projekte/{id})",
	    "Number of the project (/projekte/{id})" },
	{ "title_de", OD_STRING, "", "Titel (deutsch)", "Title (German)" },
	{ "title_en", OD_STRING, "", "Titel (englisch), leer: keiner",
	    "Title (English), empty: none" },
	{ "summary_de", OD_STRING, "", "Kurzbeschreibung (deutsch)",
	    "Summary (German)" },
	{ "summary_en", OD_STRING, "", "Kurzbeschreibung (englisch)",
	    "Summary (English)" },
	{ "status", OD_STRING, "", "Stand: proposed, selected, "
	    "in_implementation, completed, rejected", "Status: proposed, "
	    "selected, in_implementation, completed, rejected" },
	{ "fields", OD_STRINGS, "", "Handlungsfelder (Kürzel)",
	    "Fields of action (slugs)" },
	{ "goals", OD_STRINGS, "", "Strategische Ziele (Kürzel)",
	    "Strategic goals (slugs)" },
	{ "department", OD_STRING, "", "Verantwortlicher Fachbereich (Kürzel)",
	    "Responsible department (slug)" },
	{ "partners", OD_STRING, "", "Partner", "Partners" },
	{ "starts_on", OD_DATE, "", "Beginn", "Start" },
	{ "ends_on", OD_DATE, "", "Ende", "End" },
	{ "budget_eur", OD_NUMBER, "EUR", "Budget, leer: nicht angegeben",
	    "Budget, empty: not given" },
	{ "decision_reason", OD_STRING, "", "Begründung der Entscheidung des "
	    "Smart-City-Gremiums", "The Smart-City board's reason" },
	{ "decided_at", OD_DATETIME, "UTC", "Entschieden am", "Decided at" },
	{ "idea_ids", OD_INTEGERS, "", "Aufgegriffene veröffentlichte Ideen",
	    "Published ideas taken up" },
	{ "survey_ids", OD_INTEGERS, "", "Umfragen, die es informiert haben",
	    "Surveys that informed it" },
	{ "created_at", OD_DATETIME, "UTC", "Angelegt am", "Created at" },
	{ "updated_at", OD_DATETIME, "UTC", "Zuletzt geändert am",
	    "Last changed at" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct od_column criteria_cols[] = {
	{ "criterion_id", OD_INTEGER, "", "Nummer des Erfolgskriteriums",
	    "Number of the success criterion" },
	{ "project_id", OD_INTEGER, "", "Projekt", "Project" },
	{ "name_de", OD_STRING, "", "Name (deutsch)", "Name (German)" },
	{ "name_en", OD_STRING, "", "Name (englisch)", "Name (English)" },
	{ "unit", OD_STRING, "", "Einheit der Werte", "Unit of the values" },
	{ "baseline", OD_NUMBER, "unit", "Ausgangswert", "Baseline" },
	{ "baseline_on", OD_DATE, "", "Ausgangswert vom", "Baseline as of" },
	{ "target", OD_NUMBER, "unit", "Zielwert", "Target" },
	{ "target_on", OD_DATE, "", "Ziel bis", "Target date" },
	{ "source", OD_STRING, "", "Datenquelle", "Source" },
	{ "derivation", OD_STRING, "", "manual (gemessen) oder aus mitwirken "
	    "abgeleitet: survey_mean, defect_ack_days, defect_resolve_days",
	    "manual (measured) or derived from mitwirken: survey_mean, "
	    "defect_ack_days, defect_resolve_days" },
	{ "measured_on", OD_DATE, "", "Messung vom (abgeleitet: Monat der "
	    "Meldungen oder Ende der Umfrage), leer: noch keine",
	    "Measured on (derived: month of the reports or the survey's "
	    "end), empty: none yet" },
	{ "value", OD_NUMBER, "unit", "Gemessener oder abgeleiteter Wert, wie "
	    "auf der Projektseite; leer: unterdrückt (weniger als k)",
	    "Measured or derived value, as on the project page; empty: "
	    "withheld (fewer than k)" },
	{ "note", OD_STRING, "", "Anmerkung zur Messung",
	    "Note on the measurement" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct od_column results_cols[] = {
	{ "survey_id", OD_INTEGER, "", "Umfrage (/umfragen/{id})",
	    "Survey (/umfragen/{id})" },
	{ "survey_title", OD_STRING, "", "Titel der Umfrage", "Survey title" },
	{ "question", OD_STRING, "", "Name der Frage, leer: die ganze Umfrage",
	    "Question name, empty: the whole survey" },
	{ "question_title", OD_STRING, "", "Fragetext", "Question text" },
	{ "question_type", OD_STRING, "", "Fragetyp (SurveyJS)",
	    "Question type (SurveyJS)" },
	{ "item", OD_STRING, "", "Antwortoption, Rangfolge-Eintrag oder "
	    "Matrixzeile (Wert)", "Option, ranking choice or matrix row "
	    "(value)" },
	{ "item_label", OD_STRING, "", "Text der Option oder Zeile",
	    "Text of the option or row" },
	{ "column", OD_STRING, "", "Matrixspalte (Wert)",
	    "Matrix column (value)" },
	{ "column_label", OD_STRING, "", "Text der Matrixspalte",
	    "Text of the matrix column" },
	{ "measure", OD_STRING, "", "Kennzahl: respondents, seen, answered, "
	    "count, share (Anteil 0..1), first (Platz 1), n, mean, median, "
	    "sd, mean_rank", "Measure: respondents, seen, answered, count, "
	    "share (0..1), first (ranked first), n, mean, median, sd, "
	    "mean_rank" },
	{ "value", OD_NUMBER, "", "Wert; leer: zum Schutz der Teilnehmenden "
	    "unterdrückt (weniger als k Antworten) oder nicht berechenbar",
	    "Value; empty: suppressed to protect respondents (fewer than k "
	    "answers) or not computable" },
	{ NULL, 0, NULL, NULL, NULL }
};

enum od_set {
	OD_IDEAS = 0,
	OD_DEFECTS,
	OD_PROJECTS,
	OD_CRITERIA,
	OD_RESULTS,
	OD_SETS
};

static const struct {
	const char		*name;
	const char		*title_de, *title_en;
	const char		*desc_de, *desc_en;
	const struct od_column	*cols;
	const struct db_op	*op;
	int			page;	/* keys per full page */
} sets[OD_SETS] = {
	{ "ideas", "Ideen", "Ideas", "Veröffentlichte Ideen der Bürgerinnen "
	    "und Bürger mit Handlungsfeld, Zielen, Bezirk, Stand und "
	    "Unterstützungen; ohne Angaben zu den Einreichenden.",
	    "Citizens' published ideas with field of action, goals, district, "
	    "status and supports; nothing about who submitted them.",
	    ideas_cols, &op_od_ideas, OD_PAGE_ROWS },
	{ "defects", "Mängelmeldungen", "Defect reports", "Veröffentlichte "
	    "Mängelmeldungen: Kategorie, Stand, Ort, Zeiten und Tage bis zur "
	    "Bestätigung und Behebung; ohne Beschreibung, Adresse und "
	    "Meldende.", "Published defect reports: category, status, place, "
	    "times and days until acknowledged and resolved; without the "
	    "description, address or reporter.",
	    defects_cols, &op_od_defects, OD_PAGE_ROWS },
	{ "projects", "Smart-City-Projekte", "Smart City projects",
	    "Das Projektregister (Projektsteckbriefe) mit Handlungsfeldern, "
	    "Zielen, Stand, Zeitraum, Budget und der Entscheidung des "
	    "Gremiums.", "The project registry with fields of action, goals, "
	    "status, period, budget and the board's decision.",
	    projects_cols, &op_od_projects, OD_PAGE_ROWS },
	{ "criteria", "Erfolgskriterien", "Success criteria", "Die messbaren "
	    "Erfolgskriterien der Projekte mit Ausgangs- und Zielwert, eine "
	    "Zeile je Messung.", "The projects' measurable success criteria "
	    "with baseline and target, one row per measurement.",
	    criteria_cols, &op_od_criteria, OD_PAGE_ROWS },
	{ "survey-results", "Umfrageergebnisse", "Survey results",
	    "Die veröffentlichten Ergebnisse der Umfragen, eine Zeile je "
	    "Kennzahl, mit denselben Unterdrückungen kleiner Zahlen wie auf "
	    "den Ergebnisseiten.", "The published results of surveys, one row "
	    "per figure, with the same suppression of small counts as the "
	    "results pages.", results_cols, &op_od_surveys, OD_SURVEY_ROWS },
};

/* The route's {file} choices: every dataset in every format. */
const char *const opendata_files[] = { "ideas.csv", "ideas.json",
	"defects.csv", "defects.json", "projects.csv", "projects.json",
	"criteria.csv", "criteria.json", "survey-results.csv",
	"survey-results.json", NULL };

/* Licences GovData lists that a city is likely to choose. */
static const struct {
	const char	*id;
	const char	*url;
} licenses[] = {
	{ "dl-de/by-2-0", "https://www.govdata.de/dl-de/by-2-0" },
	{ "dl-de/zero-2-0", "https://www.govdata.de/dl-de/zero-2-0" },
	{ "cc-by/4.0", "https://creativecommons.org/licenses/by/4.0/" },
	{ "cc-zero", "https://creativecommons.org/publicdomain/zero/1.0/" },
};

static const char *
license_url(const char *id)
{
	size_t	i;

	for (i = 0; i < sizeof(licenses) / sizeof(licenses[0]); i++) {
		if (strcmp(licenses[i].id, id) == 0)
			return (licenses[i].url);
	}
	return (NULL);
}

/* ---- The catalogue ---- */

static cJSON *
pair(const char *de, const char *en)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "de", de);
	cJSON_AddStringToObject(o, "en", en);
	return (o);
}

static cJSON *
dictionary(const struct od_column *cols)
{
	cJSON	*list, *c;
	int	i;

	list = cJSON_CreateArray();
	for (i = 0; cols[i].name != NULL; i++) {
		c = cJSON_CreateObject();
		cJSON_AddStringToObject(c, "name", cols[i].name);
		cJSON_AddStringToObject(c, "type",
		    opendata_type_name(cols[i].type));
		cJSON_AddStringToObject(c, "unit", cols[i].unit);
		cJSON_AddItemToObject(c, "description",
		    pair(cols[i].de, cols[i].en));
		cJSON_AddItemToArray(list, c);
	}
	return (list);
}

static void
add_license(cJSON *o, const char *license)
{
	const char	*url = license_url(license);

	cJSON_AddStringToObject(o, "license", license);
	if (url != NULL)
		cJSON_AddStringToObject(o, "license_url", url);
	else
		cJSON_AddNullToObject(o, "license_url");
}

static cJSON *
catalogue(const char *license)
{
	cJSON	*doc, *list, *d, *formats, *f;
	char	url[96];
	int	i, j;

	doc = cJSON_CreateObject();
	add_license(doc, license);
	list = cJSON_AddArrayToObject(doc, "datasets");
	for (i = 0; i < OD_SETS; i++) {
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "name", sets[i].name);
		cJSON_AddItemToObject(d, "title", pair(sets[i].title_de,
		    sets[i].title_en));
		cJSON_AddItemToObject(d, "description", pair(sets[i].desc_de,
		    sets[i].desc_en));
		add_license(d, license);
		formats = cJSON_AddArrayToObject(d, "formats");
		for (j = 0; j < 2; j++) {
			f = cJSON_CreateObject();
			cJSON_AddStringToObject(f, "format", j ? "json" : "csv");
			cJSON_AddStringToObject(f, "media_type", j ?
			    "application/json" : "text/csv");
			(void)snprintf(url, sizeof(url), "/api/v1/opendata/%s.%s",
			    sets[i].name, j ? "json" : "csv");
			cJSON_AddStringToObject(f, "url", url);
			cJSON_AddItemToArray(formats, f);
		}
		cJSON_AddItemToObject(d, "columns", dictionary(sets[i].cols));
		cJSON_AddItemToArray(list, d);
	}
	return (doc);
}

static const char *
license_of(PGresult *res)
{
	if (res == NULL || PQntuples(res) == 0)
		return ("dl-de/by-2-0");
	return (PQgetvalue(res, 0, 0));
}

/* GET /api/v1/opendata */
int
api_opendata(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*doc;
	char		*body;

	if ((s = db_step(req, &op_od_license, &res)) != DB_DONE)
		return (db_yield(s));
	doc = catalogue(license_of(res));
	body = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	respond(req, 200, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (KORE_RESULT_OK);
}

/* The page's copy: texts in the reader's language, the same table. */
static void
localise(cJSON *node, int en)
{
	cJSON	*c, *next, *v;

	for (c = node != NULL ? node->child : NULL; c != NULL; c = next) {
		next = c->next;
		if (cJSON_IsObject(c) && cJSON_GetArraySize(c) == 2 &&
		    (v = cJSON_GetObjectItemCaseSensitive(c,
		    en ? "en" : "de")) != NULL && cJSON_IsString(v)) {
			cJSON_ReplaceItemInObjectCaseSensitive(node, c->string,
			    cJSON_CreateString(v->valuestring));
			continue;
		}
		if (cJSON_IsObject(c) || cJSON_IsArray(c))
			localise(c, en);
	}
}

/* GET /offene-daten */
int
page_opendata(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*data;

	if ((s = db_step(req, &op_od_license, &res)) != DB_DONE)
		return (db_yield(s));
	data = page_new(req, "opendata");
	cJSON_AddItemToObject(data, "catalogue", catalogue(license_of(res)));
	localise(cJSON_GetObjectItemCaseSensitive(data, "catalogue"),
	    rq_get(req)->lang == LANG_EN);
	return (page_with(req, 200, data, "opendata.html"));
}

/* ---- The downloads ---- */

struct od_stream {
	enum od_set	set;
	int		json;
	int		rows;		/* sent so far */
	struct strbuf	*out;		/* while a page is formatted */
	struct stream_pager pager;
};

static void
od_free(void *arg)
{
	kore_free(arg);
}

static void
od_row(struct od_stream *x, const char *const *v)
{
	if (x->json)
		opendata_json_row(x->out, sets[x->set].cols, v, x->rows == 0);
	else
		opendata_csv_row(x->out, sets[x->set].cols, v);
	x->rows++;
}

static void
survey_row(const struct od_survey_row *r, void *arg)
{
	const char *const	v[] = { r->survey_id, r->survey_title,
		r->question, r->question_title, r->question_type, r->item,
		r->item_label, r->column, r->column_label, r->measure,
		r->value };

	od_row(arg, v);
}

/*
 * One survey's published results, built as its results page builds them
 * (k = the survey k), as rows.  A definition that no longer parses is
 * left out and logged: the file stays valid.
 */
static void
survey_rows(struct http_request *req, struct od_stream *x, PGresult *res,
    int i)
{
	struct results_opts	opts;
	cJSON			*def, *tallies, *doc = NULL;

	def = cJSON_Parse(PQgetvalue(res, i, 2));
	tallies = cJSON_Parse(PQgetvalue(res, i, 3));
	memset(&opts, 0, sizeof(opts));
	opts.k = mw_config.survey_k;
	opts.lang = rq_get(req)->lang;
	if (def != NULL && tallies != NULL)
		doc = results_from_json(def, tallies, &opts);
	if (doc != NULL)
		opendata_survey_rows(doc, PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), survey_row, x);
	else
		kore_log(LOG_ERR, "opendata id=%s: survey %s left out",
		    rq_get(req)->id, PQgetvalue(res, i, 0));
	cJSON_Delete(doc);
	cJSON_Delete(tallies);
	cJSON_Delete(def);
}

/*
 * A page holds up to the set's page of keys (first column; a survey spans
 * several rows): the next starts after the last.
 */
static int
od_next(struct http_request *req, PGresult *res)
{
	struct od_stream	*x = stream_data(req);
	const char		*last = NULL;
	int			i, n, keys;

	n = PQntuples(res);
	for (keys = i = 0; i < n; i++) {
		if (last == NULL || strcmp(last, PQgetvalue(res, i, 0)) != 0)
			keys++;
		last = PQgetvalue(res, i, 0);
	}
	if (last != NULL)
		rq_var_update(req, "after", last);
	return (keys == sets[x->set].page);
}

static void
od_rows(struct http_request *req, PGresult *res)
{
	struct od_stream	*x = stream_data(req);
	const char		*v[32];
	int			i, j, n, ncols;

	x->out = stream_buf(req);
	n = PQntuples(res);
	ncols = PQnfields(res);
	for (i = 0; i < n; i++) {
		if (x->set == OD_RESULTS) {
			survey_rows(req, x, res, i);
			continue;
		}
		for (j = 0; j < ncols && j < 32; j++)
			v[j] = PQgetisnull(res, i, j) ? NULL :
			    PQgetvalue(res, i, j);
		od_row(x, v);
	}
}

static int
od_finish(struct http_request *req)
{
	struct od_stream	*x = stream_data(req);

	if (x->json)
		strbuf_appends(stream_buf(req), x->rows ? "\n]\n" : "]\n");
	return (stream_end(req));
}

static int
od_start(struct http_request *req)
{
	struct od_stream	*x;
	const char		*file, *dot;
	int			i;

	file = params_get(&rq_get(req)->params, "file");
	dot = file != NULL ? strrchr(file, '.') : NULL;
	if (dot == NULL)
		return (respond_not_found(req));
	x = kore_calloc(1, sizeof(*x));
	x->json = strcmp(dot, ".json") == 0;
	x->set = OD_SETS;
	for (i = 0; i < OD_SETS; i++) {
		if (strlen(sets[i].name) == (size_t)(dot - file) &&
		    strncmp(sets[i].name, file, (size_t)(dot - file)) == 0)
			x->set = (enum od_set)i;
	}
	if (x->set == OD_SETS) {
		kore_free(x);
		return (respond_not_found(req));
	}
	x->pager.op = sets[x->set].op;
	x->pager.next = od_next;
	x->pager.rows = od_rows;
	x->pager.end = od_finish;
	rq_var_set(req, "after", "0");
	if (!stream_begin(req, x->json ? JSON_TYPE :
	    "text/csv; charset=utf-8; header=present", file, x, od_free)) {
		kore_free(x);
		return (respond_error(req, 500, NULL, NULL, NULL));
	}
	if (x->json)
		strbuf_appends(stream_buf(req), "[");
	else
		opendata_csv_header(stream_buf(req), sets[x->set].cols);
	if (req->method == HTTP_METHOD_HEAD)
		return (od_finish(req));
	return (stream_pages(req, &x->pager));
}

/* GET /api/v1/opendata/{dataset}.{csv|json} */
int
api_opendata_file(struct http_request *req)
{
	struct od_stream	*x;

	if (!stream_started(req))
		return (od_start(req));
	x = stream_data(req);
	return (stream_pages(req, &x->pager));
}
