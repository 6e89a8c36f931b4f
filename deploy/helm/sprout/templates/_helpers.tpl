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

{{/*
The split into a webhook and a controller Deployment (controller.separate, docs/adr/0007). The main
Deployment keeps its name and selector (selectors are immutable); only its pods' component label says
what they run. Controller pods carry a name label of their own, so neither the main Deployment's
selector nor the Service's ever matches them.
*/}}
{{- define "sprout.component" -}}
{{- if .Values.controller.separate }}webhook{{ else }}webhook-controller{{ end }}
{{- end }}

{{- /* The base is cut first, so a long name keeps its "-controller" and never equals the main one. */}}
{{- define "sprout.controller.fullname" -}}
{{- printf "%s-controller" (include "sprout.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{- define "sprout.controller.selectorLabels" -}}
app.kubernetes.io/name: {{ printf "%s-controller" (include "sprout.name" . | trunc 52 | trimSuffix "-") }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end }}

{{/* The `sprout serve` flags both Deployments share. */}}
{{- define "sprout.serveArgs" -}}
- --namespace={{ .Release.Namespace }}
- --webhook-port={{ .Values.webhook.port }}
- --service-name={{ include "sprout.serviceName" . }}
{{- if not .Values.controller.leaderElect }}
- --no-leader-elect
{{- end }}
- --workers={{ .Values.controller.workers }}
- --resync-period={{ .Values.controller.resyncPeriod }}
- --log-level={{ .Values.logLevel }}
- --tls-mode={{ .Values.tls.mode }}
- --tls-secret-name={{ include "sprout.tlsSecretName" . }}
{{- end }}

{{- define "sprout.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "sprout.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "sprout.env" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* /healthz and /readyz over HTTPS on the webhook port; every component serves them. */}}
{{- define "sprout.probes" -}}
startupProbe:
  httpGet:
    path: /healthz
    port: https
    scheme: HTTPS
  periodSeconds: 2
  failureThreshold: 30
livenessProbe:
  httpGet:
    path: /healthz
    port: https
    scheme: HTTPS
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /readyz
    port: https
    scheme: HTTPS
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end }}
