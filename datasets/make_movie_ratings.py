"""Make datasets/movie_ratings.csv and datasets/movies.csv: SYNTHETIC ratings, made up.

Run from the repository root: ``python datasets/make_movie_ratings.py``. The output is a
function of the seed below only, so the files can be checked by running this again.

The model (stated in datasets/README.md):

* 60 fictional movies in 5 genres; each genre has a taste direction in 4 dimensions, and a
  movie's factor is its genre's direction plus a little noise of its own;
* 120 users, each with a taste vector in the same 4 dimensions (a liking for one or two
  genres) and a personal bias (some rate everything higher);
* the full rating is ``3.4 + user bias + movie bias + user taste . movie factor + noise``
  (noise sd 0.45), rounded to half stars and clipped to 0.5 .. 5.0;
* a user rates a movie with a probability that grows with the movie's popularity and with
  how much the user likes it (people watch what they expect to enjoy): about 14% of the
  entries are observed. Every user rates at least 5 movies.
"""

from pathlib import Path

import numpy as np

SEED = 2024
GENRES = ["action", "comedy", "drama", "horror", "sci-fi"]
WORDS = {
    "action": ["Iron", "Fury", "Last", "Redline", "Strike", "Storm", "Steel", "Rogue", "Blast", "Pursuit", "Titan",
               "Vector"],
    "comedy": ["Uncle", "Wedding", "Oops", "Paper", "Hats", "Neighbours", "Pancake", "Goat", "Weekend", "Karaoke",
               "Socks", "Picnic"],
    "drama": ["Quiet", "River", "Letters", "Winter", "Harbour", "Mother", "Silent", "Orchard", "Promise", "Distance",
              "Ashes", "Tides"],
    "horror": ["Cellar", "Hollow", "Night", "Crawl", "Whisper", "Attic", "Fog", "Hunger", "Mirror", "Bones",
               "Static", "Lantern"],
    "sci-fi": ["Orbit", "Signal", "Quantum", "Nova", "Drift", "Array", "Beacon", "Parallax", "Vector", "Ion",
               "Helix", "Zenith"],
}
N_USERS, PER_GENRE, DIM = 120, 12, 4


def make(rng: np.random.Generator):
    directions = rng.normal(size=(len(GENRES), DIM))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    genre_of = np.repeat(np.arange(len(GENRES)), PER_GENRE)
    V = 1.1 * directions[genre_of] + 0.3 * rng.normal(size=(len(genre_of), DIM))
    liked = rng.dirichlet(0.4 * np.ones(len(GENRES)), size=N_USERS)
    U = (liked - 1 / len(GENRES)) @ directions * 2.2 + 0.25 * rng.normal(size=(N_USERS, DIM))
    b_user = rng.normal(scale=0.35, size=N_USERS)
    b_item = rng.normal(scale=0.3, size=len(genre_of))
    full = 3.4 + b_user[:, None] + b_item[None, :] + U @ V.T + 0.45 * rng.normal(size=(N_USERS, len(genre_of)))
    full = np.clip(np.round(full * 2) / 2, 0.5, 5.0)
    popularity = rng.lognormal(sigma=0.6, size=len(genre_of))
    p = popularity[None, :] * np.exp(0.5 * (U @ V.T))
    p = np.clip(p * 0.14 / p.mean(), 0.0, 0.9)
    seen = rng.random(full.shape) < p
    for u in range(N_USERS):
        if seen[u].sum() < 5:
            seen[u, rng.choice(len(genre_of), 5, replace=False)] = True
    titles = []
    for g, genre in enumerate(GENRES):
        words = rng.permutation(WORDS[genre])
        for j in range(PER_GENRE):
            titles.append(f"{words[j]} {['I', 'Rising', 'Returns', 'Protocol', 'Story', 'Road'][j % 6]}"
                          if j >= 6 else f"The {words[j]}")
    return full, seen, titles, genre_of


def main() -> None:
    here = Path(__file__).resolve().parent
    full, seen, titles, genre_of = make(np.random.default_rng(SEED))
    with open(here / "movies.csv", "w") as f:
        f.write("movie_id,title,genre\n")
        for i, (title, g) in enumerate(zip(titles, genre_of)):
            f.write(f"{i},{title},{GENRES[g]}\n")
    with open(here / "movie_ratings.csv", "w") as f:
        f.write("user_id,movie_id,rating\n")
        for u, i in np.argwhere(seen):
            f.write(f"{u},{i},{full[u, i]:.1f}\n")
    print(f"{int(seen.sum())} ratings of {len(titles)} movies by {len(full)} users "
          f"({seen.mean():.1%} of the entries)")


if __name__ == "__main__":
    main()
