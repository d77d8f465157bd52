{{/* Names follow the `helm create` layout. */}}
{{- define "keydash.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "keydash.fullname" -}}
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

{{/* "<fullname>-<component>", room left for the suffix within 63 characters. */}}
{{- define "keydash.componentName" -}}
{{- printf "%s-%s" (include "keydash.fullname" .root | trunc 59 | trimSuffix "-") .component }}
{{- end }}

{{- define "keydash.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "keydash.labels" -}}
helm.sh/chart: {{ include "keydash.chart" .root }}
{{ include "keydash.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: keydash
{{- end }}

{{- define "keydash.selectorLabels" -}}
app.kubernetes.io/name: {{ include "keydash.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "keydash.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "keydash.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* repository:tag, or repository@digest when a digest is pinned. */}}
{{- define "keydash.image" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) }}
{{- end }}
{{- end }}

{{/* The Secret holding LITELLM_API_KEY, ADMIN_PASSWORD and JWT_SECRET. */}}
{{- define "keydash.secretName" -}}
{{- default (include "keydash.componentName" (dict "root" . "component" "api")) .Values.api.existingSecret }}
{{- end }}

{{- define "keydash.chartCreatesSecret" -}}
{{- if and (not .Values.api.existingSecret) .Values.api.secrets.litellmApiKey }}true{{ end }}
{{- end }}

{{/* Pod-level settings both components share: security, spreading, graceful stop, /tmp. */}}
{{- define "keydash.podCommon" -}}
{{- $values := index .root.Values .component }}
serviceAccountName: {{ include "keydash.serviceAccountName" .root }}
automountServiceAccountToken: false
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
terminationGracePeriodSeconds: {{ .root.Values.terminationGracePeriodSeconds }}
{{- with $values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if or $values.spreadAcrossNodes $values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- if $values.spreadAcrossNodes }}
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "keydash.selectorLabels" . | nindent 8 }}
  {{- end }}
  {{- with $values.topologySpreadConstraints }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}
volumes:
  # The only writable path: the root filesystem is read-only and nothing else is kept.
  - name: tmp
    emptyDir:
      sizeLimit: {{ .root.Values.tmpSizeLimit }}
{{- end }}

{{/* Container-level settings both components share. */}}
{{- define "keydash.containerCommon" -}}
securityContext:
  {{- toYaml .root.Values.containerSecurityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
{{- if .root.Values.preStopSleepSeconds }}
lifecycle:
  # Keep serving while the endpoint removal reaches every node and ingress: no dropped requests.
  preStop:
    exec:
      command: ["sleep", "{{ .root.Values.preStopSleepSeconds }}"]
{{- end }}
{{- end }}

{{- define "keydash.rollingUpdate" -}}
strategy:
  type: RollingUpdate
  rollingUpdate:
    # A new pod must be ready before an old one goes: capacity never drops during a rollout.
    maxUnavailable: 0
    maxSurge: 1
{{- end }}
