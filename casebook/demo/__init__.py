"""The demo: a seeded generator of bilingual conversations and the day-one seeding of a demo store.

world.py (channels, brands, people) and phrases.py (what they say) feed generator.py, which writes
the conversations as JSONL (`python -m casebook.demo OUT_DIR --n 2000 --seed 7`); seeding.py adds
what a coach would have done on day one (demo accounts, published scenarios).
"""
