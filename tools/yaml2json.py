#!/usr/bin/env python3
"""Convert a YAML document to JSON (compact, keys in document order).

usage: yaml2json.py INPUT.yaml OUTPUT.json
"""
import json
import sys

import yaml


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as src:
        doc = yaml.safe_load(src)
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        json.dump(doc, out, ensure_ascii=False, separators=(",", ":"), default=str)
        out.write("\n")


if __name__ == "__main__":
    main()
