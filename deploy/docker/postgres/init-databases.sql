-- Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d).
-- One database per service: a service never reads another service's tables.
-- Keep in step with SERVICES in scripts/lib/infra.mjs (test/infra/docker-compose.spec.ts checks it).
CREATE DATABASE pm_planning;
CREATE DATABASE pm_resource;
CREATE DATABASE pm_risk;
CREATE DATABASE pm_notification;
CREATE DATABASE pm_reporting;
