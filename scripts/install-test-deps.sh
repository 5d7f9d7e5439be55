#!/usr/bin/env bash
# Installs the Debian packages the tests run for real, when they are missing: redis-server (started and stopped by the
# tests themselves on free ports), python3 (the stand-in camera processes), procps (ps, which ps-list runs), tmux (the real terminal the
# full-screen test drives), ffmpeg (a real MJPEG camera for the camera probes), prometheus (a real server scraping
# `camtop export`, and promtool checking its metrics and deploy/'s rules), prometheus-alertmanager (a real Alertmanager
# grouping alerts with deploy/central/alertmanager.yml, and amtool checking it; Debian names the server
# prometheus-alertmanager), python3-yaml (the deploy tests read compose.yaml and the rules as data) and systemd
# (systemd-analyze verifies deploy/'s unit).
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v ps >/dev/null 2>&1 || missing+=(procps)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
{ command -v prometheus && command -v promtool; } >/dev/null 2>&1 || missing+=(prometheus)
{ command -v prometheus-alertmanager && command -v amtool; } >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
		echo "camtop tests need: ${missing[*]} (install them, or run as root)" >&2
		exit 1
	fi

	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	echo "installing ${missing[*]} for the tests" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
