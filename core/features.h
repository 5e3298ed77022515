// Sparse feature spaces of a catalogue: the notebook's one-hot "attributes" (attributes.h) and
// bag-of-words "soup" (soup.h), each over rows collapsed into groups (row_groups.h).
#pragma once
#include "attributes.h"
#include "row_groups.h"
#include "soup.h"
