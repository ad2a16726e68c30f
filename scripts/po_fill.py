"""Fill Indonesian translations into a .po file from a JSON dict {msgid: msgstr}; clears fuzzy flags it fills.

Usage: python scripts/po_fill.py path/to/django.po translations.json
Prints the msgids still untranslated or fuzzy afterwards.
"""

import json
import sys

import polib


def main() -> None:
    po = polib.pofile(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as handle:
        table = json.load(handle)
    for entry in po:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
    po.save()
    print("untranslated:", [e.msgid for e in po.untranslated_entries()])
    print("fuzzy:", [e.msgid for e in po.fuzzy_entries()])


if __name__ == "__main__":
    main()
