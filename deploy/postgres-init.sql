-- Server mode: one database and one role per subgraph. Each role owns its database (so it can
-- migrate it), may connect to nothing else, and is no superuser: a compromised subgraph reads
-- its own data only. Passwords come from the container's environment (docker-compose.yml, from
-- .env written by `npm run keys`); an unset one leaves `:'...'` unexpanded and fails the init.
\set ON_ERROR_STOP on
\getenv user_password USER_DB_PASSWORD
\getenv catalog_password CATALOG_DB_PASSWORD
\getenv order_password ORDER_DB_PASSWORD
\getenv payment_password PAYMENT_DB_PASSWORD
\getenv delivery_password DELIVERY_DB_PASSWORD

-- The maintenance database is the administrator's alone.
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;

CREATE ROLE sky_user LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'user_password';
CREATE DATABASE sky_user OWNER sky_user;
REVOKE ALL ON DATABASE sky_user FROM PUBLIC;

CREATE ROLE sky_catalog LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'catalog_password';
CREATE DATABASE sky_catalog OWNER sky_catalog;
REVOKE ALL ON DATABASE sky_catalog FROM PUBLIC;

CREATE ROLE sky_order LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'order_password';
CREATE DATABASE sky_order OWNER sky_order;
REVOKE ALL ON DATABASE sky_order FROM PUBLIC;

CREATE ROLE sky_payment LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'payment_password';
CREATE DATABASE sky_payment OWNER sky_payment;
REVOKE ALL ON DATABASE sky_payment FROM PUBLIC;

CREATE ROLE sky_delivery LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'delivery_password';
CREATE DATABASE sky_delivery OWNER sky_delivery;
REVOKE ALL ON DATABASE sky_delivery FROM PUBLIC;
