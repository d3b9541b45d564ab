{{/*
The chart's name, and the full name of the release's objects (release name, unless it
already holds the chart's name). Both are truncated to 63 characters, a DNS label's limit.
*/}}
{{- define "project.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "project.fullname" -}}
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

{{/* The training CronJob's name: a CronJob's name is at most 52 characters (its Jobs add a suffix). */}}
{{- define "project.trainingName" -}}
{{- printf "%s-train" (include "project.fullname" . | trunc 46 | trimSuffix "-") }}
{{- end }}

{{- define "project.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that select the release's pods; never change them after the first install (selectors are immutable). */}}
{{- define "project.selectorLabels" -}}
app.kubernetes.io/name: {{ include "project.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "project.labels" -}}
helm.sh/chart: {{ include "project.chart" . }}
{{ include "project.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: {{ .Chart.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The image reference: repository, then the digest if set, else the tag if set. */}}
{{- define "project.image" -}}
{{- with .Values.image }}
{{- if .digest }}
{{- printf "%s@%s" .repository .digest }}
{{- else if .tag }}
{{- printf "%s:%s" .repository .tag }}
{{- else }}
{{- .repository }}
{{- end }}
{{- end }}
{{- end }}

{{- define "project.settingsName" -}}
{{- printf "%s-settings" (include "project.fullname" . | trunc 54 | trimSuffix "-") }}
{{- end }}

{{- define "project.secretName" -}}
{{- default (printf "%s-secrets" (include "project.fullname" . | trunc 55 | trimSuffix "-")) .Values.secretName }}
{{- end }}

{{/*
What both workloads' containers share: the settings (the Secret's values, listed last, win),
a hardened container, and scratch space for the working directory and /tmp, as the root
filesystem is read-only. Called with the root context.
*/}}
{{- define "project.containerCommon" -}}
image: {{ include "project.image" . }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
envFrom:
  - configMapRef:
      name: {{ include "project.settingsName" . }}
  - secretRef:
      name: {{ include "project.secretName" . }}
      optional: true
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop:
      - ALL
volumeMounts:
  - name: work
    mountPath: /home/app
  - name: tmp
    mountPath: /tmp
{{- end }}

{{- define "project.podCommon" -}}
automountServiceAccountToken: false
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
volumes:
  - name: work
    emptyDir: {}
  - name: tmp
    emptyDir: {}
{{- end }}

{{/* Node placement of one workload: called with its values (server or training). */}}
{{- define "project.placement" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Pod annotations: the workload's own, and a checksum of the settings, so a changed setting rolls the pods. */}}
{{- define "project.podAnnotations" -}}
{{- $root := index . 0 -}}
{{- $workload := index . 1 -}}
checksum/settings: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
{{- with $workload.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}
