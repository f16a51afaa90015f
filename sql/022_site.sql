-- What a German public body must show (issue 16): the city's name, logo
-- and colours, configurable without a rebuild, and its legal texts in
-- German and English: Impressum, Datenschutzerklärung, Erklärung zur
-- Barrierefreiheit (BITV 2.0), the explanations in Leichte Sprache and
-- the sign-language page.  Texts use the small markup of src/lib/markup.c
-- (never HTML).  The shipped texts say what this software does; every
-- fact only the city can give is marked "[Von der Stadt auszufüllen: …]".

-- One row: the site's appearance.  version grows with every change, so
-- the workers' copies (src/core/site.c) and the URLs of the style sheet,
-- the icon and the logo (?v=) change with it.
CREATE TABLE site_settings (
	id		boolean PRIMARY KEY DEFAULT true CHECK (id),
	site_name	text NOT NULL DEFAULT 'mitwirken'
			CHECK (char_length(site_name) BETWEEN 1 AND 60),
	city_name	text NOT NULL DEFAULT 'Braunschweig'
			CHECK (char_length(city_name) BETWEEN 1 AND 80),
	-- Checked against white (>= 4.5:1) by the server (colour.c).
	primary_colour	text NOT NULL DEFAULT '#005a8c'
			CHECK (primary_colour ~ '^#[0-9a-f]{6}$'),
	link_colour	text NOT NULL DEFAULT '#005a8c'
			CHECK (link_colour ~ '^#[0-9a-f]{6}$'),
	-- PNG or JPEG, re-encoded by the image pipeline; never SVG.
	logo		bytea,
	logo_type	text CHECK (logo_type IN ('image/png', 'image/jpeg')),
	CHECK ((logo IS NULL) = (logo_type IS NULL)),
	-- The city's sign-language video (https), shown as a link.
	sign_video_url	text CHECK (sign_video_url ~ '^https://[^\s"<>]+$'
			    AND char_length(sign_video_url) <= 500),
	-- Where the accessibility feedback form sends its mail.
	a11y_contact	text CHECK (char_length(a11y_contact) <= 254),
	version		bigint NOT NULL DEFAULT 1,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES accounts(id) ON DELETE SET NULL
);
INSERT INTO site_settings DEFAULT VALUES;

CREATE TABLE site_texts (
	key		text NOT NULL CHECK (key IN ('impressum', 'datenschutz',
			    'barrierefreiheit', 'leichte_sprache',
			    'gebaerdensprache')),
	lang		text NOT NULL CHECK (lang IN ('de', 'en')),
	body		text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 30000),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	updated_by	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	PRIMARY KEY (key, lang)
);

INSERT INTO site_texts (key, lang, body) VALUES
('impressum', 'de', $t$# Anbieter
Stadt Braunschweig
Platz der Deutschen Einheit 1
38100 Braunschweig

Die Stadt Braunschweig ist eine Körperschaft des öffentlichen Rechts.
Sie wird vertreten durch [Von der Stadt auszufüllen: Oberbürgermeisterin oder Oberbürgermeister mit Namen].

# Kontakt
Telefon: [Von der Stadt auszufüllen]
E-Mail: [Von der Stadt auszufüllen]

# Verantwortlich für den Inhalt
[Von der Stadt auszufüllen: Name und Anschrift der verantwortlichen Person oder Stelle, z. B. Referat Digitalisierung / Smart City]

# Umsatzsteuer-Identifikationsnummer
[Von der Stadt auszufüllen, falls vorhanden]

# Beiträge von Bürgerinnen und Bürgern
Ideen, Kommentare und Mängelmeldungen geben die Meinung ihrer Verfasserinnen und Verfasser wieder, nicht die der Stadt. Sie erscheinen unter einem Pseudonym und werden vor der Veröffentlichung geprüft.
$t$),
('impressum', 'en', $t$# Provider
Stadt Braunschweig (City of Braunschweig)
Platz der Deutschen Einheit 1
38100 Braunschweig, Germany

The City of Braunschweig is a public-law corporation.
It is represented by [To be filled in by the city: the Lord Mayor, with name].

# Contact
Telephone: [To be filled in by the city]
E-mail: [To be filled in by the city]

# Responsible for the content
[To be filled in by the city: name and address of the responsible person or office]

# VAT identification number
[To be filled in by the city, if any]

# Contributions by citizens
Ideas, comments and defect reports express the views of their authors, not of the city. They appear under a pseudonym and are checked before they are published.
$t$),
('datenschutz', 'de', $t$# Verantwortliche Stelle
Stadt Braunschweig, Platz der Deutschen Einheit 1, 38100 Braunschweig.
[Von der Stadt auszufüllen: zuständige Stelle und Kontakt für diese Plattform]

# Datenschutzbeauftragte
[Von der Stadt auszufüllen: Name oder Funktion und Kontakt der oder des behördlichen Datenschutzbeauftragten]

# Welche Daten wir verarbeiten
- Ihre E-Mail-Adresse, wenn Sie ein Konto anlegen. Wir speichern sie verschlüsselt und nutzen sie nur für Nachrichten zu Ihrem Konto und, wenn Sie das wollen, für Benachrichtigungen.
- Ihr Passwort nur als nicht umkehrbaren Hash (argon2id).
- Ein Pseudonym. Es wird zufällig erzeugt und nicht aus Ihrer E-Mail-Adresse abgeleitet. Nur dieses Pseudonym ist öffentlich sichtbar.
- Ihre Beiträge: Ideen, Kommentare, Unterstützungen, Antworten auf Umfragen, Mängelmeldungen mit Ort und Fotos. Aus Fotos entfernen wir Metadaten wie GPS-Koordinaten.
- Wenn Sie einen Mangel ohne Konto melden und eine E-Mail-Adresse angeben: diese Adresse, verschlüsselt, für Rückmeldungen zu Ihrer Meldung.
- Technisch nötige Daten: Ihre Sitzung (mit Browser-Kennung) und Zähler gegen Missbrauch.

# Cookies
Wir setzen nur technisch notwendige Cookies: ein Sitzungs-Cookie, wenn Sie angemeldet sind, und ein Formular-Cookie zum Schutz vor gefälschten Anfragen. Es gibt keine Werbe- und keine Analyse-Cookies, kein Tracking und keine Inhalte von Dritten. [Von der Stadt zu prüfen: ob eine Kartendarstellung Kacheln von einem anderen Server lädt]

# Zweck und Rechtsgrundlage
Wir verarbeiten die Daten, um die Beteiligung zu ermöglichen (Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit [Von der Stadt auszufüllen: Landesrecht, z. B. NDSG]) und, soweit Sie eingewilligt haben, auf Grundlage Ihrer Einwilligung (Art. 6 Abs. 1 lit. a DSGVO).

# Speicherdauer
- Abgelaufene Sitzungen und benutzte Bestätigungs-Links: 7 Tage.
- Versandte E-Mails in der Warteschlange: 7 Tage.
- Nie bestätigte Konten: 30 Tage.
- E-Mail-Adressen bei Mängelmeldungen ohne Konto: 30 Tage nach Abschluss der Meldung.
- Ihre Beiträge bleiben, bis Sie Ihr Konto löschen; danach erscheinen sie unter „gelöschtes Konto“.
[Von der Stadt zu prüfen: ob der Betrieb andere Fristen eingestellt hat]

# Ihre Rechte
Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung, Datenübertragbarkeit und Widerspruch. Ihre Daten können Sie in Ihrem Konto selbst herunterladen und Ihr Konto selbst löschen.
Sie können sich bei der Aufsichtsbehörde beschweren: [Von der Stadt zu prüfen und einzutragen: Die Landesbeauftragte für den Datenschutz Niedersachsen, Anschrift].
$t$),
('datenschutz', 'en', $t$# Controller
Stadt Braunschweig, Platz der Deutschen Einheit 1, 38100 Braunschweig, Germany.
[To be filled in by the city: the office responsible for this platform and its contact]

# Data protection officer
[To be filled in by the city: name or function and contact]

# What data we process
- Your e-mail address, if you create an account. We store it encrypted and use it only for messages about your account and, if you wish, for notifications.
- Your password only as an irreversible hash (argon2id).
- A pseudonym. It is chosen at random, not derived from your e-mail address. Only this pseudonym is public.
- Your contributions: ideas, comments, supports, survey answers, defect reports with place and photos. We remove metadata such as GPS coordinates from photos.
- If you report a defect without an account and give an e-mail address: that address, encrypted, for replies about your report.
- Technically necessary data: your session (with the browser's identification) and counters against abuse.

# Cookies
We set only technically necessary cookies: a session cookie when you are signed in, and a form cookie that protects against forged requests. There are no advertising or analytics cookies, no tracking and no third-party content. [To be checked by the city: whether a map loads tiles from another server]

# Purpose and legal basis
We process the data to make participation possible (Art. 6(1)(e) GDPR together with [To be filled in by the city: state law]) and, where you consented, on the basis of your consent (Art. 6(1)(a) GDPR).

# How long we keep data
- Expired sessions and used confirmation links: 7 days.
- Sent e-mails in the queue: 7 days.
- Accounts never confirmed: 30 days.
- E-mail addresses of defect reports without an account: 30 days after the report was closed.
- Your contributions stay until you delete your account; then they appear under "deleted account".
[To be checked by the city: whether the operator set other periods]

# Your rights
You have the right of access, rectification, erasure, restriction, data portability and objection. You can download your data and delete your account yourself in your profile.
You may complain to the supervisory authority: [To be checked and filled in by the city: Die Landesbeauftragte für den Datenschutz Niedersachsen, address].
$t$),
('barrierefreiheit', 'de', $t$Die Stadt Braunschweig ist bemüht, diese Beteiligungsplattform barrierefrei zugänglich zu machen. Rechtsgrundlage sind das Niedersächsische Behindertengleichstellungsgesetz (NBGG) und die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0).

# Stand der Vereinbarkeit mit den Anforderungen
Diese Website ist mit den Anforderungen teilweise vereinbar.
Grundlage ist eine Selbstbewertung: Die Seiten werden bei jeder Änderung automatisch mit axe-core (WCAG 2.1 A und AA) geprüft, in 320 Pixel Breite, mit der Tastatur und ohne JavaScript.
[Von der Stadt auszufüllen: ob und wann eine Prüfung durch eine unabhängige Stelle (z. B. BITV-Test) stattfand, und ihr Ergebnis]

# Nicht barrierefreie Inhalte
- Karten: Die Karte der Mängelmeldungen ist mit der Maus oder dem Finger zu bedienen. Einen Ort können Sie stattdessen als Adresse eingeben; die Meldungen stehen auch als Liste bereit.
- Die interaktive Umfrage-Ansicht nutzt JavaScript. Jede Umfrage gibt es auch als einfaches Formular ohne JavaScript.
- Fotos in Mängelmeldungen haben keine Textbeschreibung. Die Meldung beschreibt den Mangel in Worten.
- Ein Video in Gebärdensprache gibt es noch nicht, solange die Stadt keines hinterlegt hat.

# Datum dieser Erklärung
Diese Erklärung wurde am [Von der Stadt auszufüllen: Datum] erstellt. Das Datum der letzten Änderung steht unten auf dieser Seite.

# Feedback und Kontakt
Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Oder brauchen Sie einen Inhalt in einer anderen Form? Schreiben Sie uns über das Formular auf dieser Seite.
[Von der Stadt auszufüllen: weitere Kontaktwege, z. B. Telefon und Anschrift der oder des Beauftragten für Barrierefreiheit]

# Schlichtungsverfahren
Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an die Schlichtungsstelle nach dem NBGG bei der oder dem Landesbeauftragten für Menschen mit Behinderungen Niedersachsen wenden. Das Verfahren ist kostenlos; Sie brauchen keinen Rechtsbeistand.
[Von der Stadt zu prüfen und einzutragen: Anschrift, Telefon, E-Mail und Website der Schlichtungsstelle]
$t$),
('barrierefreiheit', 'en', $t$The City of Braunschweig strives to make this participation platform accessible. The legal basis is the Lower Saxony Disability Equality Act (NBGG) and the German Barrier-free Information Technology Ordinance (BITV 2.0).

# Compliance status
This website is partially compliant with the requirements.
It is based on a self-assessment: the pages are checked automatically with axe-core (WCAG 2.1 A and AA) on every change, at 320 pixels width, by keyboard and without JavaScript.
[To be filled in by the city: whether and when an independent audit (e.g. BITV-Test) took place, and its result]

# Content that is not accessible
- Maps: the map of defect reports needs a mouse or touch. You can enter a place as an address instead; the reports are also listed.
- The interactive survey view uses JavaScript. Every survey is also offered as a plain form without JavaScript.
- Photos in defect reports have no text description. The report describes the defect in words.
- There is no sign-language video until the city provides one.

# Date of this statement
This statement was prepared on [To be filled in by the city: date]. The date of its last change is shown at the bottom of this page.

# Feedback and contact
Have you found a barrier? Do you need content in another form? Write to us with the form on this page.
[To be filled in by the city: further ways to reach the accessibility officer, e.g. telephone and address]

# Enforcement procedure
If you do not receive a satisfactory answer to your feedback, you can turn to the conciliation body under the NBGG at the Lower Saxony Commissioner for People with Disabilities. The procedure is free of charge; you need no lawyer.
[To be checked and filled in by the city: address, telephone, e-mail and website of the conciliation body]
$t$),
('leichte_sprache', 'de', $t$# Was ist mitwirken?
mitwirken ist eine Internet-Seite der Stadt Braunschweig.
Hier können Sie bei der Stadt mitmachen.
Sie können der Stadt sagen: Das ist mir wichtig.

# Was kann ich hier machen?
- Ideen aufschreiben.
Eine Idee ist ein Vorschlag.
Zum Beispiel: Hier soll eine Bank stehen.
- Ideen von anderen Menschen lesen und unterstützen.
Unterstützen heißt: Sie finden die Idee gut.
- Bei Umfragen mitmachen.
Bei einer Umfrage fragt die Stadt Sie etwas.
Sie geben eine Antwort.
- Mängel melden.
Ein Mangel ist etwas Kaputtes in der Stadt.
Zum Beispiel: ein Loch in der Straße.
Oder eine Lampe ist kaputt.
- Projekte ansehen.
Ein Projekt ist eine Arbeit der Stadt.
Sie können lesen, was die Stadt macht.

# Brauche ich ein Konto?
Ein Konto ist wie ein Ausweis für diese Internet-Seite.
Für Ideen und Kommentare brauchen Sie ein Konto.
Für ein Konto brauchen Sie eine E-Mail-Adresse.
Andere Menschen sehen Ihren Namen nicht.
Sie sehen nur einen ausgedachten Namen.
Dieser Name heißt: Pseudonym.
Einen Mangel können Sie auch ohne Konto melden.

# Wie finde ich mich zurecht?
Oben auf jeder Seite ist das Menü.
Im Menü stehen alle Bereiche.
Zum Beispiel: Ideen, Umfragen, Mängel.
Oben rechts können Sie sich anmelden.
Dort können Sie auch die Sprache wechseln.
Ganz unten auf jeder Seite stehen wichtige Links.
Zum Beispiel: Impressum und Datenschutz.
Sie können die Seite auch nur mit der Tastatur benutzen.
Mit der Tab-Taste springen Sie zum nächsten Link.

# Ist die Seite barrierefrei?
Barrierefrei heißt: Alle Menschen können die Seite gut benutzen.
Auch Menschen mit Behinderung.
Die Stadt prüft die Seite regelmäßig.
Aber noch nicht alles ist barrierefrei.
Zum Beispiel: Die Karte geht nur mit der Maus.
Sie können einen Ort aber auch als Adresse schreiben.
Alles steht in der [Erklärung zur Barrierefreiheit](/barrierefreiheit).

# Sie haben ein Problem mit der Seite?
Dann schreiben Sie uns.
Das Formular dafür ist auf der Seite [Erklärung zur Barrierefreiheit](/barrierefreiheit).
Wir antworten Ihnen.
Sind Sie mit der Antwort nicht zufrieden?
Dann können Sie sich bei der Schlichtungsstelle beschweren.
Die Schlichtungsstelle hilft kostenlos.
$t$),
('leichte_sprache', 'en', $t$# What is mitwirken?
mitwirken is a website of the City of Braunschweig.
Here you can take part in the city.
You can tell the city: this is important to me.

# What can I do here?
- Write down ideas.
An idea is a suggestion.
For example: there should be a bench here.
- Read ideas of other people and support them.
Support means: you like the idea.
- Take part in surveys.
In a survey the city asks you something.
You give an answer.
- Report defects.
A defect is something broken in the city.
For example: a hole in the road.
Or a street lamp is broken.
- Look at projects.
A project is work the city does.
You can read what the city does.

# Do I need an account?
An account is like a pass for this website.
You need an account for ideas and comments.
For an account you need an e-mail address.
Other people do not see your name.
They only see a made-up name.
This name is called: pseudonym.
You can report a defect without an account.

# How do I find my way?
At the top of every page is the menu.
The menu shows all parts of the site.
For example: ideas, surveys, defects.
At the top right you can sign in.
There you can also change the language.
At the very bottom of every page are important links.
For example: legal notice and privacy.
You can use the site with the keyboard only.
The Tab key takes you to the next link.

# Is the site accessible?
Accessible means: all people can use the site well.
Also people with disabilities.
The city checks the site regularly.
But not everything is accessible yet.
For example: the map needs a mouse.
But you can also write a place as an address.
Everything is in the [accessibility statement](/barrierefreiheit?lang=en).

# Do you have a problem with the site?
Then write to us.
The form is on the page [accessibility statement](/barrierefreiheit?lang=en).
We will answer you.
Are you not happy with the answer?
Then you can complain to the conciliation body.
The conciliation body helps free of charge.
$t$),
('gebaerdensprache', 'de', $t$# Informationen in Deutscher Gebärdensprache
Auf dieser Seite zeigt die Stadt ein Video in Deutscher Gebärdensprache (DGS). Es erklärt, was Sie auf mitwirken tun können, wie Sie sich zurechtfinden und was die Erklärung zur Barrierefreiheit sagt.
$t$),
('gebaerdensprache', 'en', $t$# Information in German Sign Language
On this page the city shows a video in German Sign Language (DGS). It explains what you can do on mitwirken, how to find your way and what the accessibility statement says.
$t$);
