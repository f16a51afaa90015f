/*
 * export.c: a survey's responses for planners, streamed (CSV, JSON) or as
 * the files describing the CSV (SPSS syntax, R script, codebook).  Kept
 * apart from surveys.h so the two files could be written side by side;
 * fold it in when convenient.
 */

#ifndef MITWIRKEN_SURVEYS_EXPORT_H
#define MITWIRKEN_SURVEYS_EXPORT_H

#include "mitwirken.h"

extern const char *const	export_formats[];
extern const char *const	export_dialects[];

int	api_survey_export(struct http_request *);

#endif
