#!/usr/bin/env python3
"""Independent Recall@K / NDCG@K / HitRate@K / MRR / coverage@K with numpy.

Reads the LightGCN text files itself (train + valid = items to exclude, test =
relevant items), scores all users against all items for two scorers (the dot
product of the given float32 embeddings, and training popularity), ranks by
score with ties broken by the lower item id, and prints the metrics as JSON.
Used by tests/eval/numpy_check_test.cpp to check the C++ evaluator.
"""
import argparse
import json

import numpy as np


def read_lists(path):
    lists = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields:
                lists.setdefault(int(fields[0]), []).extend(int(x) for x in fields[1:])
    return lists


def evaluate(scores, exclude, test, n_items, k):
    """scores: n_users x n_items float32. Returns the metric means."""
    recall, ndcg, hit, rr, users = 0.0, 0.0, 0.0, 0.0, 0
    covered = np.zeros(n_items, dtype=bool)
    discount = 1.0 / np.log2(np.arange(k) + 2.0)
    for user in sorted(test):
        relevant = set(test[user])
        if not relevant:
            continue
        row = scores[user].astype(np.float64)
        row[list(exclude.get(user, []))] = -np.inf
        # stable sort of -score: equal scores keep ascending item order
        order = np.argsort(-row, kind="stable")
        top = [i for i in order[:k] if np.isfinite(row[i])]
        covered[top] = True
        flags = np.array([1.0 if i in relevant else 0.0 for i in top] + [0.0] * (k - len(top)))
        users += 1
        recall += flags.sum() / len(relevant)
        ndcg += (flags * discount).sum() / discount[: min(len(relevant), k)].sum()
        hit += 1.0 if flags.any() else 0.0
        first = np.flatnonzero(flags)
        rr += 1.0 / (first[0] + 1) if first.size else 0.0
    return {
        "users": users,
        f"recall@{k}": recall / users,
        f"ndcg@{k}": ndcg / users,
        f"hit@{k}": hit / users,
        "mrr": rr / users,
        f"coverage@{k}": covered.sum() / n_items,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--user-embeddings", required=True)
    parser.add_argument("--item-embeddings", required=True)
    parser.add_argument("--dim", type=int, required=True)
    parser.add_argument("--k", type=int, default=20)
    args = parser.parse_args()

    train = read_lists(f"{args.data_dir}/train.txt")
    valid = read_lists(f"{args.data_dir}/valid.txt")
    test = read_lists(f"{args.data_dir}/test.txt")
    exclude = {u: train.get(u, []) + valid.get(u, []) for u in set(train) | set(valid)}
    all_lists = [train, valid, test]
    n_users = 1 + max(max(lists) for lists in all_lists)
    n_items = 1 + max(max(items) for lists in all_lists for items in lists.values() if items)

    users = np.fromfile(args.user_embeddings, dtype=np.float32).reshape(n_users, args.dim)
    items = np.fromfile(args.item_embeddings, dtype=np.float32).reshape(n_items, args.dim)
    # float64 products of exactly representable values: the same scores as the C++ sgemm
    dot = users.astype(np.float64) @ items.astype(np.float64).T

    popularity = np.zeros(n_items)
    for lists in (train, valid):
        for user_items in lists.values():
            np.add.at(popularity, user_items, 1.0)
    pop = np.broadcast_to(popularity, (n_users, n_items))

    print(json.dumps({
        "n_users": n_users,
        "n_items": n_items,
        "dot": evaluate(dot, exclude, test, n_items, args.k),
        "popularity": evaluate(pop, exclude, test, n_items, args.k),
    }))


if __name__ == "__main__":
    main()
