"""The FastAPI-style baseline of bench/serve-load.sh: the place-recommendation route as a
Python service of the seed's design would answer it (FastAPI + uvicorn, numpy), over the same
embeddings folder and graph:

    GET /v1/users/{id}/recommendations/places?k=20[&city=C]
      scores = place_embeddings @ user_embedding, seen places (training + validation) and places
      outside the city filter set to -inf, argpartition top-k, sorted.

It does less than recsys serve (no diversity re-ranking, no explanations), which favours it.
Run by bench/serve-load.sh with Debian's /usr/bin/python3 (python3-fastapi, python3-uvicorn).
Usage: fastapi_baseline.py EMB_DIR GRAPH_DIR PORT
"""
import json
import os
import sys

import numpy as np
import uvicorn
from fastapi import FastAPI, HTTPException


def graph_array(graph, name):
    manifest = json.load(open(os.path.join(graph, "manifest.json")))
    entry = manifest["arrays"][name]
    return np.fromfile(os.path.join(graph, entry["file"]), dtype=entry["dtype"]).reshape(entry["shape"])


emb_dir, graph_dir, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
users = np.load(os.path.join(emb_dir, "user_embeddings.npy"))
places = np.load(os.path.join(emb_dir, "place_embeddings.npy"))
user_row = {int(u): i for i, u in enumerate(np.load(os.path.join(emb_dir, "user_ids.npy")))}
place_ids = np.load(os.path.join(emb_dir, "place_ids.npy"))
place_city = graph_array(graph_dir, "place.city")
seen = []
for split in ("train", "valid"):
    offsets = graph_array(graph_dir, f"user_place.{split}.offsets")
    indices = graph_array(graph_dir, f"user_place.{split}.indices")
    seen.append((offsets, indices))

app = FastAPI()


@app.get("/v1/users/{user_id}/recommendations/places")
def places_for_user(user_id: int, k: int = 20, city: int | None = None):
    row = user_row.get(user_id)
    if row is None:
        raise HTTPException(status_code=404, detail=f"user {user_id} does not exist")
    scores = places @ users[row]
    for offsets, indices in seen:
        scores[indices[offsets[row]:offsets[row + 1]]] = -np.inf
    if city is not None:
        scores[place_city != city] = -np.inf
    top = np.argpartition(-scores, k)[:k]
    top = top[np.argsort(-scores[top])]
    return {"user_id": user_id,
            "places": [{"place_id": int(place_ids[p]), "score": float(scores[p])} for p in top]}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
