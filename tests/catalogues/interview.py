"""Tolerated formats and typical wrong answers for the interview's auto-graded derivations."""

CORRECT = {
    "interview.qk_multiply_adds": [
        ("int", "d1 = 67108864"),
        ("expression", "d1 = 1024 * 1024 * 64"),
        ("power", "d1 = 2 ** 26"),
        ("commas", "d1 = '67,108,864'"),
        ("power as text", "d1 = '2^26'"),
        ("scientific, rounded", "d1 = '6.71e7'"),
        ("float", "d1 = 6.7108864e7"),
        ("underscores", "d1 = 67_108_864"),
    ],
    "interview.context_doubling": [
        ("int", "d2 = 4"),
        ("float", "d2 = 4.0"),
        ("string", "d2 = ' 4 '"),
        ("expression", "d2 = 2 ** 2"),
    ],
    "interview.lora_fraction": [
        ("float", "d3 = 0.00390625"),
        ("expression", "d3 = 8 * (4096 + 4096) / (4096 * 4096)"),
        ("fraction text", "d3 = '1/256'"),
        ("rounded", "d3 = 0.0039"),
        ("percent text", "d3 = '0.39%'"),
        ("numpy", "import numpy as np\nd3 = np.float64(1) / 256"),
    ],
    "interview.update_rank": [
        ("int", "d4 = 8"),
        ("string", "d4 = '8'"),
        ("numpy", "import numpy as np\nd4 = np.int64(8)"),
    ],
}

MISTAKES = {
    "interview.qk_multiply_adds": [
        ("counted_flops", "d1 = 2 * 1024 * 1024 * 64", "FLOPs"),
        ("n_d_squared", "d1 = 1024 * 64 * 64", "n * d * d"),
        ("forgot_d", "d1 = 1024 ** 2", "number of entries"),
        ("size_of_Q", "d1 = 65536", "size of Q"),
        ("half", "d1 = 1024 * 1024 * 64 // 2", "causal mask"),
        ("unanswered", "d1 = ...", "not answered"),
        ("unreadable", "d1 = 'n squared d'", "cannot be read"),
        ("wrong_value", "d1 = 1e6", "not right"),
    ],
    "interview.context_doubling": [
        ("linear", "d2 = 2", "n * n"),
        ("cubic", "d2 = 8", "head dimension"),
        ("constant", "d2 = 1", "depends on the number of tokens"),
        ("unanswered", "d2 = ...", "not answered"),
        ("unreadable", "d2 = [4, 4]", "single number"),
        ("wrong_value", "d2 = 3", "not right"),
    ],
    "interview.lora_fraction": [
        ("inverted", "d3 = 256", "divided by LoRA"),
        ("one_factor", "d3 = '1/512'", "only one of A and B"),
        ("percent_without_sign", "d3 = 0.39", "percentage"),
        ("saved_fraction", "d3 = 1 - 1 / 256", "saves"),
        ("count_not_fraction", "d3 = 65536", "number of LoRA parameters"),
        ("full_count", "d3 = 4096 * 4096", "full fine-tuning"),
        ("unanswered", "d3 = ...", "not answered"),
        ("wrong_value", "d3 = 0.01", "not right"),
    ],
    "interview.update_rank": [
        ("matrix_size", "d4 = 4096", "combination of B's 8 columns"),
        ("added_ranks", "d4 = 16", "do not add"),
        ("multiplied_ranks", "d4 = 64", "not their product"),
        ("rank_one", "d4 = 1", "outer product"),
        ("unanswered", "d4 = ...", "not answered"),
        ("unreadable", "d4 = 'eight'", "cannot be read"),
        ("wrong_value", "d4 = 7", "not right"),
    ],
}
