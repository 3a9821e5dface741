-- One database per service (architecture.md section 4), created when the
-- compose PostgreSQL container initialises its volume.
CREATE DATABASE registry;
CREATE DATABASE rotation;
CREATE DATABASE ledger;
CREATE DATABASE evaluation;
