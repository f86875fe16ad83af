-- Server mode: one database per subgraph; no subgraph can reach another's tables.
CREATE DATABASE sky_user;
CREATE DATABASE sky_catalog;
CREATE DATABASE sky_order;
CREATE DATABASE sky_payment;
CREATE DATABASE sky_delivery;
