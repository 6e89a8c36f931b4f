// The Go-template subset behaves as text/template + Sprig do in helm, for every construct the chart
// uses; the expected strings are what `helm template` prints for the same input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemplateSyntaxError } from './lexer.js';
import { TemplateSet } from './render.js';
import { STRUCT, TemplateRuntimeError, formatGoFloat } from './values.js';

function render(source: string, data: unknown = {}, helpers = ''): string {
  const set = new TemplateSet();
  set.add('_helpers.tpl', helpers);
  set.add('t.yaml', source);
  return set.render('t.yaml', data);
}

const values = { Values: { a: 'x', n: 2, empty: '', list: ['p', 'q'], map: { b: 1, a: 'z' }, t: true, f: false, nested: { k: 'v' } } };

describe('go template subset', () => {
  const cases: [string, string, string][] = [
    ['field', 'a={{ .Values.a }}', 'a=x'],
    ['float values print like Go', '{{ .Values.n }}', '2'],
    ['missing map key prints nothing', '[{{ .Values.nope }}]', '[]'],
    ['trim markers eat whitespace and newlines', 'a:\n  {{- " b" }}\n{{- /* gone */ -}}\n  c', 'a: bc'],
    ['comments vanish', 'x{{/* note */}}y', 'xy'],
    ['if / else if / else', '{{ if .Values.f }}1{{ else if .Values.t }}2{{ else }}3{{ end }}', '2'],
    ['empty string is false', '{{ if .Values.empty }}y{{ else }}n{{ end }}', 'n'],
    ['range over a list with index', '{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }};{{ end }}', '0=p;1=q;'],
    ['range over a map in key order', '{{ range $k, $v := .Values.map }}{{ $k }}:{{ $v }} {{ end }}', 'a:z b:1 '],
    ['range dot is the element', '{{ range .Values.list }}<{{ . }}>{{ end }}', '<p><q>'],
    ['range else on empty', '{{ range .Values.nope }}x{{ else }}none{{ end }}', 'none'],
    ['with rebinds dot', '{{ with .Values.nested }}{{ .k }}{{ end }}', 'v'],
    ['$ is the root inside range', '{{ range .Values.list }}{{ $.Values.a }}{{ end }}', 'xx'],
    ['variables and assignment', '{{ $v := "a" }}{{ if true }}{{ $v = "b" }}{{ end }}{{ $v }}', 'b'],
    ['pipe is the last argument', '{{ .Values.empty | default "d" }}', 'd'],
    ['default keeps a set value', '{{ default "d" .Values.a }}', 'x'],
    ['quote', '{{ .Values.n | quote }} {{ "a\\"b" | quote }}', '"2" "a\\"b"'],
    ['printf', '{{ printf "%s-%s" "a" .Values.a }}', 'a-x'],
    ['printf %d on a float reports the type, as Go does', '{{ printf "%d" .Values.n }}', '%!d(float64=2)'],
    ['trunc and trimSuffix', '{{ "abcde-f" | trunc 6 | trimSuffix "-" }}', 'abcde'],
    ['replace and contains', '{{ replace "+" "_" "1+2" }} {{ contains "b" "abc" }}', '1_2 true'],
    ['eq and ne', '{{ eq .Values.a "x" }} {{ ne .Values.a "x" }} {{ eq "b" "a" "b" }}', 'true false true'],
    ['gt needs int on values', '{{ gt (int .Values.n) 1 }}', 'true'],
    ['and/or return operands', '{{ and 1 "" }}|{{ or "" "y" }}', '|y'],
    ['and short-circuits before a nil dereference', '{{ and .Values.nope .Values.nope.x }}', ''],
    ['not', '{{ not .Values.empty }}', 'true'],
    ['toYaml sorts keys', '{{ toYaml .Values.map }}', 'a: z\nb: 1'],
    ['nindent', 'k:{{ toYaml .Values.nested | nindent 2 }}', 'k:\n  k: v'],
    ['indent pads every line', '{{ "a\\nb" | indent 2 }}', '  a\n  b'],
    ['list and join', '{{ join "," (list "a" "b") }}', 'a,b'],
    ['hasKey', '{{ hasKey .Values.map "a" }}{{ hasKey .Values.map "c" }}', 'truefalse'],
  ];
  for (const [name, source, want] of cases) {
    it(name, () => assert.equal(render(source, values), want));
  }

  it('include renders a define with the given dot, from any file of the set', () => {
    const helpers = '{{- define "x.name" -}}{{ .Values.a }}-name{{- end }}';
    assert.equal(render('n: {{ include "x.name" . | quote }}', values, helpers), 'n: "x-name"');
  });

  it('include starts a fresh variable scope with $ bound to its argument', () => {
    const helpers = '{{- define "x.root" -}}{{ $.k }}{{- end }}';
    assert.equal(render('{{ include "x.root" .Values.nested }}', values, helpers), 'v');
  });

  it('required fails with its message on an empty value', () => {
    assert.throws(() => render('{{ required "tls.secretName is required" .Values.empty }}', values), /tls.secretName is required/);
  });

  const runtimeErrors: [string, string, RegExp][] = [
    ['comparing a float value with an int literal', '{{ gt .Values.n 1 }}', /incompatible types for comparison/],
    ['a field of a missing value', '{{ .Values.nope.x }}', /nil pointer evaluating/],
    ['a field of a string', '{{ .Values.a.b }}', /can't evaluate field b in type string/],
    ['an undefined template', '{{ include "nope" . }}', /no template "nope"/],
    ['an undefined variable', '{{ $nope }}', /undefined variable: \$nope/],
    ['a missing field of a built-in object', '{{ .Release.Nmae }}', /can't evaluate field Nmae/],
  ];
  for (const [name, source, pattern] of runtimeErrors) {
    it(`errors on ${name}`, () => {
      const data = { ...values, Release: { Name: 'r', [STRUCT]: true } };
      assert.throws(() => render(source, data), (e: unknown) => e instanceof TemplateRuntimeError && pattern.test(e.message));
    });
  }

  const syntaxErrors: [string, string][] = [
    ['an unknown function', '{{ frobnicate 1 }}'],
    ['a missing end', '{{ if true }}x'],
    ['a stray end', 'x{{ end }}'],
    ['an unclosed action', '{{ .Values.a '],
    ['block, which the subset leaves out', '{{ block "x" . }}{{ end }}'],
  ];
  for (const [name, source] of syntaxErrors) {
    it(`rejects ${name} at parse time`, () => assert.throws(() => render(source), TemplateSyntaxError));
  }

  it('formats floats as strconv.FormatFloat(v, g, -1)', () => {
    const cases: [number, string][] = [[2, '2'], [0.5, '0.5'], [100000, '100000'], [1000000, '1e+06'], [1.5e-5, '1.5e-05'], [123456789, '1.23456789e+08']];
    for (const [v, want] of cases) assert.equal(formatGoFloat(v), want, String(v));
  });
});
