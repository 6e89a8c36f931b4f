{{/*
Named templates shared by the chart. The chart keeps to the template subset that
test/deploy/template renders (docs/adr/0004-helm-chart-checked-without-helm.md).
*/}}

{{- define "sprout.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sprout.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "sprout.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sprout.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sprout.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "sprout.labels" -}}
helm.sh/chart: {{ include "sprout.chart" . }}
{{ include "sprout.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sprout
{{- end }}

{{- define "sprout.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sprout.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "sprout.serviceName" -}}
{{- default (include "sprout.fullname" .) .Values.webhook.serviceName }}
{{- end }}

{{- define "sprout.tlsSecretName" -}}
{{- if eq .Values.tls.mode "secret" }}
{{- required "tls.secretName is required when tls.mode is \"secret\"" .Values.tls.secretName }}
{{- else }}
{{- default (printf "%s-tls" (include "sprout.fullname" .)) .Values.tls.secretName }}
{{- end }}
{{- end }}

{{- define "sprout.certificateName" -}}
{{- printf "%s-serving" (include "sprout.fullname" .) }}
{{- end }}

{{/* Sprout names its webhook configurations itself (src/webhook/configurations.ts). */}}
{{- define "sprout.webhookConfigurations.validating" -}}
- sprout-resource-validating-webhook-cfg
- sprout-policy-validating-webhook-cfg
{{- end }}

{{- define "sprout.webhookConfigurations.mutating" -}}
- sprout-resource-mutating-webhook-cfg
{{- end }}
