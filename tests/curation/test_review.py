import pytest

from curation.review import IllegalTransition, ReviewState, path_to, transition

LEGAL = [
    ("candidate", "in_review"),
    ("in_review", "approved"),
    ("approved", "published"),
    ("published", "archived"),
    ("candidate", "rejected"),
    ("in_review", "rejected"),
]
ILLEGAL = [
    ("candidate", "published"),
    ("candidate", "approved"),
    ("published", "candidate"),
    ("rejected", "published"),
    ("archived", "approved"),
    ("in_review", "archived"),
]


@pytest.mark.parametrize(("src", "dst"), LEGAL)
def test_legal_moves(src, dst):
    assert transition(src, dst) == ReviewState(dst)


@pytest.mark.parametrize(("src", "dst"), ILLEGAL)
def test_illegal_moves_raise(src, dst):
    with pytest.raises(IllegalTransition):
        transition(src, dst)


def test_path_to_published_goes_through_review():
    assert path_to("candidate", "published") == [
        ReviewState.in_review,
        ReviewState.approved,
        ReviewState.published,
    ]


def test_unknown_state_raises():
    with pytest.raises(ValueError):
        transition("candidate", "done")
