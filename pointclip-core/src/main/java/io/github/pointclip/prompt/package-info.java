/** Prompt sets (templates, per-class prompt libraries, ensembling) and benchmark class lists. */
package io.github.pointclip.prompt;
