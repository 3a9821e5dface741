{{/* The release's base name, at most 40 characters (room for suffixes). */}}
{{- define "gzedu.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* What the chart knows about each service, beyond its values. */}}
{{- define "gzedu.serviceFacts" -}}
registry:
  component: school-registry
  binary: gzedu-school-registry
  health: gzedu.registry.v1.SchoolRegistryService
rotation:
  component: teacher-rotation
  binary: gzedu-teacher-rotation
  health: gzedu.rotation.v1.TeacherRotationService
ledger:
  component: funding-ledger
  binary: gzedu-funding-ledger
  health: gzedu.funding.v1.FundingLedgerService
evaluation:
  component: indicator-evaluation
  binary: gzedu-indicator-evaluation
  health: gzedu.indicators.v1.IndicatorEvaluationService
{{- end -}}

{{- define "gzedu.labels" -}}
app.kubernetes.io/name: gzedu
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one service; call with (dict "root" $ "component" "school-registry"). */}}
{{- define "gzedu.selectorLabels" -}}
app.kubernetes.io/name: gzedu
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "gzedu.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The environment every service and the migration job get: the log level, the service's database URL and Redis from Secrets. */}}
{{- define "gzedu.env" -}}
- name: GZEDU_LOG_LEVEL
  value: {{ .root.Values.logLevel | quote }}
- name: GZEDU_DATABASE
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.database.existingSecret }}
      key: {{ index .root.Values.database.keys .name }}
{{- if .root.Values.redis.enabled }}
- name: GZEDU_REDIS
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.redis.existingSecret }}
      key: {{ .root.Values.redis.key }}
{{- end }}
{{- end -}}
