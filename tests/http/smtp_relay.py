"""A mail relay for the mailer's tests: Debian's aiosmtpd on a loopback
port, with STARTTLS and AUTH as a city's submission relay has them, or
without either (an open relay that would take mail in clear).  Each event is one JSON line in --log; "ready" on stdout
once it listens.  Run with /usr/bin/python3 (Debian's python3-aiosmtpd)."""

import argparse
import asyncio
import json
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def main():
	p = argparse.ArgumentParser()
	p.add_argument("--port", type=int, required=True)
	p.add_argument("--log", required=True)
	p.add_argument("--cert")
	p.add_argument("--key")
	p.add_argument("--user", default="mitwirken")
	p.add_argument("--password", default="")
	a = p.parse_args()

	def record(event):
		with open(a.log, "a") as f:
			f.write(json.dumps(event) + "\n")

	def authenticator(server, session, envelope, mechanism, data):
		ok = (isinstance(data, LoginPassword) and
		    data.login.decode() == a.user and
		    data.password.decode() == a.password)
		record({"auth": mechanism, "user": data.login.decode(),
		    "ok": ok, "tls": session.ssl is not None})
		return AuthResult(success=ok, handled=False)

	class Handler:
		async def handle_DATA(self, server, session, envelope):
			record({"message": envelope.rcpt_tos,
			    "tls": session.ssl is not None,
			    "authenticated": bool(session.authenticated),
			    "data": envelope.content.decode("utf-8", "replace")})
			return "250 OK"

	tls = None
	if a.cert:
		tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
		tls.load_cert_chain(a.cert, a.key)

	def factory():
		return SMTP(Handler(), tls_context=tls,
		    require_starttls=tls is not None, authenticator=authenticator,
		    auth_required=tls is not None,
		    auth_require_tls=tls is not None)

	loop = asyncio.new_event_loop()
	loop.run_until_complete(loop.create_server(factory, "127.0.0.1",
	    a.port))
	print("ready", flush=True)
	loop.run_forever()


main()
