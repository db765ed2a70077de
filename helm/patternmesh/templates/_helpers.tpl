{{/* Names, labels and shared fragments. Every component is rendered by components.yaml from these. */}}

{{- define "patternmesh.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* "<fullname>-<component>", at most 63 characters (a DNS label). Call with (dict "root" $ "name" $name). */}}
{{- define "patternmesh.componentName" -}}
{{- printf "%s-%s" (include "patternmesh.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "patternmesh.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "patternmesh.labels" -}}
{{ include "patternmesh.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: patternmesh
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* Labels of release-wide objects (no component). */}}
{{- define "patternmesh.releaseLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: patternmesh
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "patternmesh.image" -}}
{{- $image := .Values.image -}}
{{- if $image.digest -}}
{{ $image.repository }}@{{ $image.digest }}
{{- else -}}
{{ $image.repository }}:{{ $image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/* The SPIFFE principal of a component's ServiceAccount, as Istio's AuthorizationPolicy names callers. */}}
{{- define "patternmesh.principal" -}}
cluster.local/ns/{{ .root.Release.Namespace }}/sa/{{ include "patternmesh.componentName" . }}
{{- end -}}

{{- define "patternmesh.apiKeysSecret" -}}
{{- .Values.apiKeys.secretName | default (printf "%s-api-keys" (include "patternmesh.fullname" .)) -}}
{{- end -}}

{{- define "patternmesh.adminApiKeysSecret" -}}
{{- .Values.adminApiKeys.secretName | default (printf "%s-admin-api-keys" (include "patternmesh.fullname" .)) -}}
{{- end -}}

{{/* Restricted pod security (the Pod Security Standards' "restricted" profile). */}}
{{- define "patternmesh.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "patternmesh.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Environment every service takes (the host settings of libs/service-kit) plus Pulsar's. Only settings the
services' schemas know: a chart test checks every name against them.
*/}}
{{- define "patternmesh.hostEnv" -}}
- name: PATTERNMESH_HTTP_HOST
  value: "0.0.0.0"
- name: PATTERNMESH_HTTP_PORT
  value: "7480"
- name: PATTERNMESH_GRPC_PORT
  value: "7481"
- name: PATTERNMESH_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: PATTERNMESH_SHUTDOWN_DELAY_MS
  value: {{ .Values.shutdown.delayMs | quote }}
- name: PATTERNMESH_TRACE_SAMPLE_RATIO
  value: {{ .Values.traceSampleRatio | quote }}
- name: PATTERNMESH_BUS
  value: pulsar
- name: PATTERNMESH_TOPIC_TENANT
  value: {{ .Values.pulsar.tenant | quote }}
- name: PULSAR_URL
  value: {{ .Values.pulsar.serviceUrl | quote }}
- name: PULSAR_ADMIN_URL
  value: {{ .Values.pulsar.adminUrl | quote }}
- name: PATTERNMESH_PULSAR_BATCH_DELAY_MS
  value: {{ .Values.pulsar.batchDelayMs | quote }}
- name: PATTERNMESH_PULSAR_ORDERING_BUCKETS
  value: {{ .Values.pulsar.orderingBuckets | quote }}
{{- with .Values.pulsar.authTokenSecret.name }}
- name: PULSAR_AUTH_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.pulsar.authTokenSecret.key }}
{{- end }}
{{- if .Values.pulsar.tlsCaSecret.name }}
- name: PULSAR_TLS_CA_FILE
  value: /etc/patternmesh/pulsar-ca/{{ .Values.pulsar.tlsCaSecret.key }}
# The admin REST client is Node's fetch, which trusts a private CA only through this.
- name: NODE_EXTRA_CA_CERTS
  value: /etc/patternmesh/pulsar-ca/{{ .Values.pulsar.tlsCaSecret.key }}
{{- end }}
{{- end -}}

{{/* host:port of every enabled stage's headless Service, for the autoscaler's TelemetryService polling. */}}
{{- define "patternmesh.telemetryTargets" -}}
{{- $targets := list -}}
{{- range $name, $c := .Values.components -}}
{{- if and $c.enabled (ne $name "autoscaler") -}}
{{- $targets = append $targets (printf "%s-headless.%s.svc.cluster.local:7481" (include "patternmesh.componentName" (dict "root" $ "name" $name)) $.Release.Namespace) -}}
{{- end -}}
{{- end -}}
{{- join "," $targets -}}
{{- end -}}

{{/* stage=HPA pairs for the autoscaler: which HPA scales which stage (only components with an HPA). */}}
{{- define "patternmesh.autoscalerHpas" -}}
{{- $stages := dict "ingest-gateway" "ingest" "normalizer" "normalize" "classifier" "classify" "router" "route" -}}
{{- $pairs := list -}}
{{- range $name, $c := .Values.components -}}
{{- if and $c.enabled $c.autoscaling.enabled (hasKey $stages $name) -}}
{{- $pairs = append $pairs (printf "%s=%s" (get $stages $name) (include "patternmesh.componentName" (dict "root" $ "name" $name))) -}}
{{- end -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}
