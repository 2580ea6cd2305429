#!/usr/bin/env python3
"""The layering rules of src/ (README "Layout", HACKING.md "Layers"), checked on the code.

Each folder of src/ is a layer with a rank; a file may include headers of its own folder and of
lower ranks only (no include between two folders of the same rank), and never in a cycle.
Besides:
  - only src/http/ includes <microhttpd.h>;
  - only src/store/ calls sqlite3_* (and includes <sqlite3.h>);
  - src/util, src/auth, src/store and src/billing never see the request/response headers.
Prints every breach and exits 1 when there is one. Usage: layers.py [SRC_DIR]
"""
import os
import re
import sys

RANKS = {
    'util': 0,
    'auth': 1, 'store': 1,
    'billing': 2,
    'http': 3,
    'api': 4, 'data': 4,
    'admin': 5, 'dashboard': 5,
    '': 6,  # src/main.c, src/routes.c: the top
}
NO_HTTP = ('util', 'auth', 'store', 'billing')

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')


def layer_of(rel):
    return rel.split('/')[0] if '/' in rel else ''


def sources(src):
    for root, _, files in os.walk(src):
        for name in sorted(files):
            if name.endswith(('.c', '.h')):
                path = os.path.join(root, name)
                yield os.path.relpath(path, src), path


def check(src):
    breaches, graph = [], {}
    for rel, path in sources(src):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        layer = layer_of(rel)
        if layer not in RANKS:
            breaches.append(f'{rel}: folder {layer}/ is not a known layer (add it to RANKS)')
            continue
        code = STRING.sub('""', COMMENT.sub(' ', text))
        graph[rel] = []
        for kind, inc in INCLUDE.findall(text):
            if kind == '<':
                if inc == 'microhttpd.h' and layer != 'http':
                    breaches.append(f'{rel}: includes <microhttpd.h> outside src/http/')
                if inc == 'sqlite3.h' and layer != 'store':
                    breaches.append(f'{rel}: includes <sqlite3.h> outside src/store/')
                continue
            target = layer_of(inc)
            if not os.path.exists(os.path.join(src, inc)):
                breaches.append(f'{rel}: includes "{inc}", which is not a path below src/')
                continue
            graph[rel].append(inc)
            if inc in ('http/request.h', 'http/response.h') and layer in NO_HTTP:
                breaches.append(f'{rel}: src/{layer}/ must not see "{inc}"')
            if target != layer and RANKS.get(target, 99) >= RANKS[layer]:
                breaches.append(f'{rel}: includes "{inc}": {target or "src"}/ is not below '
                                f'{layer or "src"}/')
        if layer != 'store' and re.search(r'\bsqlite3_\w+\s*\(', code):
            breaches.append(f'{rel}: calls sqlite3_* outside src/store/')
    breaches += cycles(graph)
    return breaches


def cycles(graph):
    found, state = [], {}

    def visit(node, stack):
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                loop = stack[stack.index(nxt):] + [nxt]
                found.append('include cycle: ' + ' -> '.join(loop))
            elif not state.get(nxt):
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if not state.get(node):
            visit(node, [node])
    return found


def self_test():
    """Each rule must catch a tree made to break it: the check itself can fail."""
    import tempfile
    bad = {
        'store/a_db.c': '#include "http/request.h"\n',            # store sees the request
        'util/u.c': '#include "store/a_db.h"\n',                  # upward
        'api/x.c': '#include "data/y.h"\n',                       # same rank, other folder
        'billing/b.c': 'void f(void) { sqlite3_exec(0); }\n',     # SQL outside store
        'admin/m.c': '#include <microhttpd.h>\n',                 # libmicrohttpd outside http
        'http/p.h': '#include "http/q.h"\n',                      # a cycle
        'http/q.h': '#include "http/p.h"\n',
        'store/a_db.h': '', 'http/request.h': '', 'data/y.h': '',
    }
    want = ['must not see', 'store/ is not below util/', 'data/ is not below api/', 'calls sqlite3_',
            '<microhttpd.h>', 'include cycle']
    with tempfile.TemporaryDirectory() as root:
        for rel, text in bad.items():
            os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(root, rel), 'w', encoding='utf-8') as f:
                f.write(text)
        found = '\n'.join(check(root))
    missed = [w for w in want if w not in found]
    for w in want:
        print(f'{"ok" if w not in missed else "not ok"} - a breach "{w}" is reported')
    return 1 if missed else 0


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'src')
    breaches = check(src)
    for b in breaches:
        print(b)
    print(f'layers: {len(breaches)} breach(es) in {src}')
    return 1 if breaches else 0


if __name__ == '__main__':
    sys.exit(main())
