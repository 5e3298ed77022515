// Content-based recommenders over a catalogue: the notebook's five methods, computed exactly and
// without any n×n matrix (inverted indexes over collapsed identical rows). What a query asks and
// answers is in query.h; the Index that answers it in index.h (included here, so including
// recommender.h gives both); the methods' scoring in recommender.cpp.
#pragma once
#include <optional>  // what recommender.h has always given its includers

#include "catalogue.h"
#include "features.h"
#include "index.h"
#include "query.h"
#include "topk.h"
