#!/usr/bin/env python3
"""Check the relative links of the repository's Markdown files.

Every link that is not absolute (no scheme, not mailto:) must name a file
or directory that exists, relative to the linking file, and a #fragment
must name a heading of the target (GitHub's anchor rules: lower case,
punctuation dropped, spaces to hyphens, repeats numbered -1, -2, ...).
Links inside fenced code blocks and inline code are not links.

Usage: check-links.py ROOT [FILE=MAXLINES ...]
  exit 1 and one line per broken link, or per FILE (relative to ROOT)
  longer than MAXLINES lines (the README is a front page, not a manual).
"""
import os
import re
import sys

LINK = re.compile(r'!?\[(?:[^\]\\]|\\.)*\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+"[^"]*")?\)')
HEADING = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')
SKIP_DIRS = {'.git', 'node_modules', 'build', 'build-asan', 'build-rel',
             'build-fuzz', 'build-deb'}


def prose_lines(text):
    """(line number, line, raw line) outside fenced code; in line, inline
    code is blanked (it holds no links), raw keeps it (headings)."""
    fence = None
    for n, line in enumerate(text.split('\n'), 1):
        m = re.match(r'^\s*(```+|~~~+)', line)
        if m:
            tick = m.group(1)[0] * 3
            if fence is None:
                fence = tick
            elif tick == fence:
                fence = None
            continue
        if fence is None:
            yield n, re.sub(r'`+[^`]*`+', lambda c: ' ' * len(c.group(0)), line), line


def slug(title):
    title = re.sub(r'`([^`]*)`', r'\1', title)
    title = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', title)
    title = re.sub(r'<[^>]+>', '', title).strip().lower()
    title = re.sub(r'[^\w\- ]', '', title)
    return title.replace(' ', '-')


def anchors(path, cache={}):
    if path not in cache:
        seen = {}
        out = set()
        with open(path, encoding='utf-8') as f:
            for _, _, raw in prose_lines(f.read()):
                m = HEADING.match(raw)
                if not m:
                    continue
                s = slug(m.group(2))
                k = seen.get(s, 0)
                seen[s] = k + 1
                out.add(s if k == 0 else '%s-%d' % (s, k))
        cache[path] = out
    return cache[path]


def check(root):
    bad = 0
    count = 0
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS]
        for name in files:
            if not name.endswith('.md'):
                continue
            path = os.path.join(d, name)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            for n, line, _ in prose_lines(text):
                for m in LINK.finditer(line):
                    target = m.group(1)
                    if not target or re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I):
                        continue
                    count += 1
                    file_part, _, frag = target.partition('#')
                    dest = path if not file_part else os.path.normpath(
                        os.path.join(d, file_part))
                    rel = os.path.relpath(path, root)
                    if not os.path.exists(dest):
                        print('%s:%d: %s: no such file' % (rel, n, target))
                        bad += 1
                    elif frag and dest.endswith('.md') and frag not in anchors(dest):
                        print('%s:%d: %s: no heading with that anchor' % (rel, n, target))
                        bad += 1
    print('check-links: %d relative links, %d broken' % (count, bad))
    return bad


def too_long(root, limits):
    bad = 0
    for spec in limits:
        name, _, most = spec.rpartition('=')
        with open(os.path.join(root, name), encoding='utf-8') as f:
            n = f.read().count('\n')
        if n > int(most):
            print('%s: %d lines, at most %s' % (name, n, most))
            bad += 1
    return bad


if __name__ == '__main__':
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    bad = check(root) + too_long(root, sys.argv[2:])
    sys.exit(1 if bad else 0)
