// Every page of the site, as the browser tests (browser.test.mjs) visit
// it: one line per page and role.  `role` is who looks (anon is signed
// out); `path` may name the objects browser.test.mjs makes before the
// run: {idea} (published), {pending} (an idea awaiting moderation),
// {survey} (open, results public), {defect}, {token} (the defect's status
// link), {project}, {comment} (on {idea}, awaiting moderation).  A page that needs more gets `setup`, an async
// function ({ fx, who, roles }) returning the path to visit (who: the
// entry's role, roles: every role's account).  A page reached by a form
// gets `submit`, the selector of the button pressed on the visited page:
// the page that answers is the one checked.  A page with a
// known problem not yet fixed carries `todo: 'why'`: it is still checked
// and reported, as a todo that does not fail the run.
// Add a page here when you add a GET page to src/routes.c.
import { member, postIdea, decide, mailsTo } from './lib.mjs';

// A fresh unsubscribe link, as a notification mail carries it: an idea
// of a new author published by the moderator sends one.
async function unsubscribeLink({ roles }) {
	const author = await member();
	const idea = await postIdea(author);
	const r = await decide(roles.moderator, 'idea', [idea.id], 'publish');
	if (r.status !== 200) throw new Error(`publish: ${r.status} ${r.text}`);
	const mail = mailsTo(author.email).find((m) => /^List-Unsubscribe:/m.test(m));
	if (!mail) throw new Error('no notification mail with an unsubscribe link');
	return `/abbestellen?t=${mail.match(/abbestellen\?t=([^>\s]+)/)[1]}`;
}

export const PAGES = [
	{ role: 'anon', path: '/' },
	{ role: 'anon', path: '/?lang=en' },
	{ role: 'anon', path: '/registrieren' },
	{ role: 'anon', path: '/anmelden' },
	{ role: 'anon', path: '/anmelden?next=%2Fideen%2F{idea}%3Flang%3Dde%23unterstuetzen&why=support' },
	{ role: 'anon', path: '/abbestellen?t=…', setup: unsubscribeLink },
	{ role: 'anon', path: '/abbestellen?t=… (after the button)', setup: unsubscribeLink,
		submit: 'main form button[type=submit]' },
	{ role: 'anon', path: '/bestaetigen?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
	{ role: 'anon', path: '/passwort-vergessen' },
	{ role: 'anon', path: '/passwort-neu?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
	{ role: 'anon', path: '/ideen' },
	{ role: 'anon', path: '/ideen/neu' },
	{ role: 'anon', path: '/ideen/{idea}' },
	{ role: 'anon', path: '/umfragen' },
	{ role: 'anon', path: '/umfragen/{survey}' },
	{ role: 'anon', path: '/umfragen/{survey}/danke' },
	{ role: 'anon', path: '/umfragen/{survey}/interaktiv' },
	{ role: 'anon', path: '/umfragen/{survey}/ergebnisse' },
	{ role: 'anon', path: '/maengel' },
	{ role: 'anon', path: '/maengel/neu' },
	{ role: 'anon', path: '/maengel/neu?schritt=2&category=strassenschaden&lat=52%2C2645&lon=10%2C5236' },
	{ role: 'anon', path: '/maengel/{defect}' },
	{ role: 'anon', path: '/maengel/status/{token}' },
	{ role: 'anon', path: '/projekte' },
	{ role: 'anon', path: '/projekte/{project}' },
	{ role: 'anon', path: '/statistik' },
	{ role: 'anon', path: '/statistik/handlungsfelder' },
	{ role: 'anon', path: '/statistik/teilhabe' },
	{ role: 'anon', path: '/offene-daten' },
	{ role: 'anon', path: '/impressum' },
	{ role: 'anon', path: '/datenschutz' },
	{ role: 'anon', path: '/barrierefreiheit' },
	{ role: 'anon', path: '/barrierefreiheit?lang=en' },
	{ role: 'anon', path: '/leichte-sprache' },
	{ role: 'anon', path: '/gebaerdensprache' },
	{ role: 'citizen', path: '/barrierefreiheit' },
	{ role: 'citizen', path: '/' },
	{ role: 'citizen', path: '/konto' },
	{ role: 'citizen', path: '/konto/beitraege' },
	{ role: 'citizen', path: '/konto/benachrichtigungen' },
	{ role: 'citizen', path: '/ideen' },
	{ role: 'citizen', path: '/ideen/neu' },
	{ role: 'citizen', path: '/ideen/{idea}' },
	{ role: 'citizen', path: '/umfragen/{survey}' },
	{ role: 'citizen', path: '/maengel/neu' },
	{ role: 'citizen', path: '/maengel/{defect}' },
	{ role: 'moderator', path: '/moderation' },
	{ role: 'moderator', path: '/moderation?tab=review&kind=idea' },
	{ role: 'moderator', path: '/moderation?tab=review&kind=comment' },
	{ role: 'moderator', path: '/moderation?tab=flagged&kind=idea' },
	{ role: 'moderator', path: '/moderation?tab=decided' },
	{ role: 'moderator', path: '/moderation?lang=en&tab=review&kind=idea&sort=newest&age=1' },
	{ role: 'moderator', path: '/moderation/ideen/{pending}/bearbeiten' },
	{ role: 'moderator', path: '/moderation/kommentare/{comment}/bearbeiten' },
	{ role: 'moderator', path: '/moderation/maengel' },
	{ role: 'moderator', path: '/moderation/maengel?tab=messages' },
	{ role: 'moderator', path: '/moderation/maengel?tab=photos&sort=newest' },
	{ role: 'moderator', path: '/ideen/{pending}' },
	{ role: 'moderator', path: '/konto' },
	{ role: 'staff', path: '/fachbereich' },
	{ role: 'staff', path: '/fachbereich?status=open&sort=supports&age=1' },
	{ role: 'staff', path: '/fachbereich?overdue=1&lang=en' },
	{ role: 'admin', path: '/fachbereich?department=tiefbau-und-verkehr&sort=newest' },
	{ role: 'staff', path: '/fachbereich/maengel/{defect}' },
	{ role: 'staff', path: '/ideen/{idea}' },
	{ role: 'planner', path: '/planung/umfragen' },
	{ role: 'planner', path: '/planung/umfragen/{survey}' },
	{ role: 'planner', path: '/planung/umfragen/{survey}/vorschau' },
	{ role: 'planner', path: '/umfragen/{survey}/ergebnisse' },
	{ role: 'planner', path: '/planung/projekte' },
	{ role: 'planner', path: '/planung/projekte/neu' },
	{ role: 'planner', path: '/planung/projekte/{project}' },
	{ role: 'planner', path: '/planung/auswertung' },
	{ role: 'planner', path: '/ideen/{idea}' },
	{ role: 'board', path: '/gremium' },
	{ role: 'board', path: '/gremium/ideen/{idea}' },
	{ role: 'board', path: '/gremium/projekte' },
	{ role: 'board', path: '/gremium/projekte/{project}' },
	{ role: 'admin', path: '/' },
	{ role: 'admin', path: '/konto' },
	{ role: 'admin', path: '/ideen/{idea}' },
	{ role: 'admin', path: '/verwaltung' },
	{ role: 'admin', path: '/verwaltung/konten' },
	{ role: 'admin', path: '/verwaltung/konten?q=a' },
	{ role: 'admin', path: '/verwaltung/einstellungen' },
	{ role: 'admin', path: '/verwaltung/kriterien' },
	{ role: 'admin', path: '/verwaltung/taxonomie' },
	{ role: 'admin', path: '/verwaltung/taxonomie/felder/mobilitaet' },
	{ role: 'admin', path: '/verwaltung/taxonomie/ziele/staedtische-ziele-umsetzen' },
	{ role: 'admin', path: '/verwaltung/taxonomie/bezirke/mitte' },
	{ role: 'admin', path: '/verwaltung/kategorien' },
	{ role: 'admin', path: '/verwaltung/kategorien/strassenschaden' },
	{ role: 'admin', path: '/verwaltung/open311' },
	{ role: 'admin', path: '/verwaltung/texte' },
	{ role: 'admin', path: '/verwaltung/texte/impressum' },
	{ role: 'admin', path: '/verwaltung/texte/barrierefreiheit' },
	{ role: 'admin', path: '/verwaltung/auftritt' },
];
