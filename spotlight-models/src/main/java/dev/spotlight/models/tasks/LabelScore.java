package dev.spotlight.models.tasks;

/** A class label with its score (a probability unless the function applied was "none"). */
public record LabelScore(String label, double score) {
}
