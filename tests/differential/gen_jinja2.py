#!/usr/bin/env python3
"""Regenerates tests/fixtures/jinja2/corpus.json: Jinja2 templates of the kind prompt authors
write, rendered by Python's own `jinja2` package, the oracle for `template_format: jinja2`.

Needs the `jinja2` package; use a virtual environment outside the repository:

    python3 -m venv /tmp/jinja-venv && /tmp/jinja-venv/bin/pip install jinja2
    /tmp/jinja-venv/bin/python tests/differential/gen_jinja2.py

The environment is the one the product promises (contract §9): StrictUndefined (or, for cases marked
lenient, Jinja2's default Undefined), no autoescape (or HTML autoescape for cases marked html),
Jinja2's default whitespace handling (keep_trailing_newline=False), includes and extends served
from a dict (as the registry serves other prompts). Each case records the text Python produced
or the exception it raised. `cargo test` reads the file; it never runs Python.
"""

import json
import pathlib
import sys

import jinja2

OUT = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "jinja2" / "corpus.json"

# No None values: a null (an optional input that was not given) is empty text in the product,
# where Python prints `None`.
VALUES = {
    "name": "Ada",
    "tags": ["rust", "python", "go"],
    "text": "This is bad, really bad.",
    "long": "The quick brown fox jumps over the lazy dog near the river bank.",
    "users": [
        {"name": "Ada", "role": "admin", "active": True, "age": 36},
        {"name": "Bo", "role": "user", "active": False, "age": 29},
        {"name": "Cy", "role": "user", "active": True, "age": 41},
    ],
    "count": 3,
    "price": 19.999,
    "ratio": 0.25,
    "flag": True,
    "off": False,
    "user": {"name": "Ada", "plan": "pro", "seats": 5},
    "items": ["a", "b", "c", "d", "e"],
    "description": "line one\nline two",
    "empty": [],
    "numbers": [3, 1, 2, 3],
    "html": "<b>\"Tom\" & 'Jerry'</b>",
    "question": "  Where is my order?  ",
    "history": [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello! How can I help?"},
    ],
}

INCLUDES = {
    "shared/header": "You are a helpful assistant for {{ user.name }}.",
    "shared/list": "{% for t in tags %}- {{ t }}\n{% endfor %}",
    "base/chat": "System: {% block system %}Be brief.{% endblock %}\n"
    "User: {% block user %}{% endblock %}",
    "shared/macros": "{% macro bullet(t) %}* {{ t }}{% endmacro %}",
}

CASES = [
    # variables and printing
    "Hello {{ name }}!",
    "{{ count }} {{ price }} {{ ratio }} {{ flag }} {{ off }}",
    "{{ tags }}",
    "{{ user }}",
    "{{ users[0] }}",
    "{{ user.name }} / {{ user['plan'] }} / {{ users[1].name }}",
    "{{ 10 / 4 }} {{ 10 // 4 }} {{ 2 ** 10 }} {{ 7 % 3 }} {{ count * 2 }} {{ price + 1 }}",
    "{{ name ~ '!' }} {{ 'rust' in tags }} {{ 'java' not in tags }}",
    "{{ 'ab' * 3 }}",
    "{{ 1e16 }} {{ 0.1 + 0.2 }} {{ 3.0 }}",
    # filters
    "{{ name | upper }} {{ name|lower }} {{ text|title }} {{ 'hello world'|capitalize }}",
    "{{ tags | join(', ') }}|{{ tags|join }}|{{ tags|join(' / ')|upper }}",
    "{{ nickname | default('friend') }} {{ name|default('x') }} {{ ''|default('empty', true) }}",
    "{{ text | replace('bad', 'good') }} {{ text|replace('bad', 'fine', 1) }}",
    "{{ long | truncate(20) }}",
    "{{ long | truncate(30, True) }}",
    "{{ long | truncate(24, False, '…', 0) }}",
    "{{ long | truncate(100) }}",
    "{{ users | map(attribute='name') | join(', ') }}",
    "{{ users | map(attribute='age') | sum }}",
    "{{ users | selectattr('active') | map(attribute='name') | list }}",
    "{{ users | rejectattr('active') | map(attribute='name') | first }}",
    "{{ '%s has %d items' | format(name, count) }}",
    "{{ '%.2f' | format(price) }} {{ '%5s|%-5s|' | format('a', 'b') }}",
    "{{ items|length }} {{ items|first }} {{ items|last }} {{ numbers|sort|join(',') }}",
    "{{ numbers|unique|list }} {{ numbers|max }} {{ numbers|min }} {{ numbers|sum }}",
    "{{ items|reverse|join }} {{ items|batch(2)|list }}",
    "{{ price|round(1) }} {{ price|round }} {{ price|int }} {{ count|float }} {{ '42'|int + 1 }}",
    "{{ count|string ~ 'x' }} {{ -3|abs }}",
    "{{ question|trim }}|{{ description|indent(2) }}",
    "{{ users|sort(attribute='age')|map(attribute='name')|join(',') }}",
    "{% for k, v in user|dictsort %}{{ k }}:{{ v }} {% endfor %}",
    "{{ html }}",
    "{{ html|e }}",
    "{{ name.upper() }} {{ text.split(',')[0] }} {{ user.get('plan') }} {{ user.get('x', 'none') }}",
    "{{ tags|tojson }}",
    "{{ user|tojson }}",
    "{{ users|tojson(indent=2) }}",
    "{{ html|tojson }}",
    "{{ {'z': 'é👋', 'a': [1.5, 2.0, none]}|tojson }}",
    "{{ user|pprint }}",
    "{{ {'b': html, 'a': tags}|pprint }}",
    # loops
    "{% for item in items %}{{ loop.index }}. {{ item }}{% if not loop.last %}, {% endif %}{% endfor %}",
    "{% for t in tags %}{{ loop.index0 }}/{{ loop.length }}/{{ loop.revindex }}{{ '' if loop.last else ' ' }}{% endfor %}",
    "{% for u in users if u.active %}{{ u.name }} {% endfor %}",
    "{% for x in empty %}a{% else %}nothing{% endfor %}",
    "{% for k, v in user.items() %}{{ k }}={{ v }};{% endfor %}",
    "{% for m in history %}{{ m.role }}: {{ m.content }}\n{% endfor %}",
    "{% for row in items|batch(2) %}[{{ row|join }}]{% endfor %}",
    "{% for t in tags %}{% if loop.first %}First: {% endif %}{{ t }}{% if loop.last %}.{% else %}, {% endif %}{% endfor %}",
    # conditions
    "{% if count > 5 %}many{% elif count > 1 %}some{% else %}one{% endif %}",
    "{% if flag and not off %}yes{% endif %}{% if off %}no{% endif %}",
    "{% if missing is defined %}x{% else %}y{% endif %}",
    "{% if user.plan == 'pro' %}Pro plan ({{ user.seats }} seats){% endif %}",
    "{{ 'yes' if flag else 'no' }} {{ 'a' if off else 'b' }}",
    # set
    "{% set greeting = 'Hi ' ~ name %}{{ greeting }}!",
    "{% set ns = namespace(total=0) %}{% for u in users %}{% set ns.total = ns.total + u.age %}{% endfor %}{{ ns.total }}",
    "{% set parts %}{{ name }}-{{ count }}{% endset %}[{{ parts }}]",
    # whitespace
    "Hello\n",
    "Hello\n\n",
    "{% for x in items %}\n  {{ x }}\n{% endfor %}\n",
    "{%- for x in items -%}\n  {{ x }}\n{%- endfor %}\n",
    "Line\n  {%- if flag %}\n  yes\n  {%- endif %}\nEnd\n",
    "  {{ name }}  \n  {{- count -}}  \nend",
    "You are a support agent.\n\n{% if user.plan == 'pro' %}\nPrioritise {{ user.name }}.\n{% endif %}\nAnswer: {{ question | trim }}\n",
    # raw and comments
    "{% raw %}{{ not a var }} {% if %}{% endraw %}",
    "a{# a comment #}b{#- trimmed -#} c",
    "{# whole-line comment #}\nText",
    # includes, extends, macros
    "{% include 'shared/header' %}\nQ: {{ question|trim }}",
    "Tags:\n{% include 'shared/list' %}",
    "{% extends 'base/chat' %}{% block user %}{{ question|trim }}{% endblock %}",
    "{% extends 'base/chat' %}{% block system %}{{ super() }} Be kind.{% endblock %}{% block user %}Hi{% endblock %}",
    "{% from 'shared/macros' import bullet %}{{ bullet(name) }}",
    "{% macro item(t, mark='-') %}{{ mark }} {{ t }}\n{% endmacro %}{% for t in tags %}{{ item(t) }}{% endfor %}{{ item('x', '*') }}",
    # errors
    "{{ missing }}",
    "Hi {{ user.missing }}",
    "{{ missing.attr }}",
    "{% for x in missing %}{% endfor %}",
    "{% if missing %}a{% endif %}",
    "{{ name|nosuchfilter }}",
    "{% include 'shared/gone' %}",
    "{% if %}",
    "{{ name }",
    "{% for x in items %}",
]

LENIENT = [
    "Hi {{ missing }}!",
    "{% for x in missing %}a{% endfor %}ok",
    "{% if missing %}a{% else %}b{% endif %}",
    "{{ missing.attr }}",
    "{{ missing|default('d') }}",
]

HTML = [
    "{{ html }}",
    "{{ html|safe }}",
    "{{ name }} & {{ html }}",
]


def render(template, undefined, autoescape):
    env = jinja2.Environment(
        loader=jinja2.DictLoader(INCLUDES),
        undefined=undefined,
        autoescape=autoescape,
    )
    case = {"template": template}
    if undefined is not jinja2.StrictUndefined:
        case["lenient"] = True
    if autoescape:
        case["escape"] = "html"
    try:
        case["expected"] = env.from_string(template).render(**VALUES)
    except Exception as e:  # noqa: BLE001 - every refusal is data
        case["error"] = type(e).__name__
    return case


def main():
    cases = [render(t, jinja2.StrictUndefined, False) for t in CASES]
    cases += [render(t, jinja2.Undefined, False) for t in LENIENT]
    cases += [render(t, jinja2.StrictUndefined, True) for t in HTML]
    doc = {
        "generator": "tests/differential/gen_jinja2.py",
        "python": sys.version.split()[0],
        "jinja2": jinja2.__version__,
        "values": VALUES,
        "includes": INCLUDES,
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    ok = sum("expected" in c for c in cases)
    print(f"{OUT}: {len(cases)} cases ({ok} rendered, {len(cases) - ok} refused)")


if __name__ == "__main__":
    main()
