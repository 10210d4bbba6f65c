/**
 * Searches on a validation split (DESIGN §5): the view-weight grid search
 * ({@link io.github.pointclip.adapter.search.ViewWeightSearch}) and the two-pass prompt search over a
 * candidate library ({@link io.github.pointclip.adapter.search.PromptSearch}), both on cached features
 * ({@link io.github.pointclip.adapter.search.SearchData}), on a validation split the user names
 * ({@link io.github.pointclip.adapter.search.SearchSplits}: never silently on the test set). Neither recomputes the whole logit matrix per
 * trial: view weights re-weight cached per-view similarity matrices, and a prompt candidate changes one
 * logit column, scored in O(N) from per-sample thresholds.
 */
package io.github.pointclip.adapter.search;
