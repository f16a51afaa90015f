#!/usr/bin/python3
"""Runs Debian's wapiti (3.0.4) with two repairs; arguments as for wapiti.

1. Its -x/--exclude patterns end in an inline "(?ms)", which Python 3.11
   refuses ("global flags not at the start of the expression"): every -x
   crashed wapiti.  The translation is redone with the flags in front.
2. Loading the modules downloads the Wappalyzer database from GitHub when
   the local copy is missing, even when the wapp module is not used.  The
   scan must talk to nothing but the server under test: the download is
   replaced by nothing (run.sh also leaves an empty database in place).

Run with Debian's python3, which has wapitiCore.
"""

import re
import sys

from wapitiCore.attack import mod_wapp
from wapitiCore.main.wapiti import wapiti_main
from wapitiCore.net import crawler


def wildcard_translate(pattern):
    """A wildcard pattern (only * is special) as a compiled regex."""
    body = "".join(".*" if c == "*" else re.escape(c) for c in pattern)
    return re.compile(r"(?ms)" + body + r"\Z")


def no_download(self):
    print("wapiti.py: not downloading the Wappalyzer database")


crawler.wildcard_translate = wildcard_translate
mod_wapp.mod_wapp.update = no_download

if __name__ == "__main__":
    sys.argv[0] = "wapiti"
    sys.exit(wapiti_main())
