/* store-schema.h: the migrations array; only store.c reads it. */
#ifndef PARTA_STORE_SCHEMA_H
#define PARTA_STORE_SCHEMA_H

extern const char *const store_migrations[];
extern const int store_nmigrations;

#endif
