#!/usr/bin/env python3
"""Checks a truncated SVD computed by recsys (tests/model/bspm_test.cpp) against
scipy.sparse.linalg.svds: the matrix comes as CSR arrays (offsets.npy int64, indices.npy int32,
values.npy float32, shape.npy int64 [rows, cols]), the result as singular_values.npy (k) and
right_vectors.npy (cols x k). Exit status 1 with a message when a singular value is off by more
than --sigma-tol (relative) or when the cosine of the largest principal angle between the
computed and scipy's leading --subspace-k right singular vectors is below --min-cosine."""
import argparse
import sys

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import svds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--sigma-tol", type=float, default=1e-3)
    ap.add_argument("--subspace-k", type=int, required=True)
    ap.add_argument("--min-cosine", type=float, default=0.99)
    a = ap.parse_args()
    d = a.dir
    rows, cols = np.load(f"{d}/shape.npy")
    m = sp.csr_matrix(
        (np.load(f"{d}/values.npy").astype(np.float64), np.load(f"{d}/indices.npy"),
         np.load(f"{d}/offsets.npy")), shape=(rows, cols))
    sigma = np.load(f"{d}/singular_values.npy").astype(np.float64)
    v = np.load(f"{d}/right_vectors.npy").astype(np.float64)
    k = len(sigma)
    _, s_ref, vt_ref = svds(m, k=k, tol=1e-10, random_state=0)
    order = np.argsort(-s_ref)
    s_ref, v_ref = s_ref[order], vt_ref[order].T
    rel = np.abs(sigma - s_ref) / s_ref
    worst = int(np.argmax(rel))
    print(f"k={k} sigma_1={s_ref[0]:.6f} sigma_k={s_ref[-1]:.6f} "
          f"max relative sigma error {rel[worst]:.2e} (index {worst})")
    ok = rel[worst] <= a.sigma_tol
    ks = a.subspace_k
    cosines = np.linalg.svd(v_ref[:, :ks].T @ v[:, :ks], compute_uv=False)
    print(f"leading {ks} vectors: smallest principal-angle cosine {cosines.min():.6f}")
    ok = ok and cosines.min() >= a.min_cosine
    orth = np.abs(v.T @ v - np.eye(k)).max()
    print(f"max |V^T V - I| {orth:.2e}")
    ok = ok and orth < 1e-4
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
