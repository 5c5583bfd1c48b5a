"""Area under the ROC curve by ranks (Mann-Whitney U), tied scores sharing their
average rank: no sklearn on Debian's python3-xgboost setup."""
import numpy as np


def auc(labels, scores):
    """P(a random positive scores above a random negative), ties counting one half.
    None when the labels are all one class."""
    labels = np.asarray(labels) > 0.5
    scores = np.asarray(scores, dtype=np.float64)
    positives = int(labels.sum())
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return None
    _, inverse, counts = np.unique(scores, return_inverse=True, return_counts=True)
    # Ranks 1..n in score order; a run of ties gets the mean of its ranks.
    last_rank = np.cumsum(counts)
    average_rank = last_rank - (counts - 1) / 2.0
    rank_sum = average_rank[inverse][labels].sum()
    return float((rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives))
