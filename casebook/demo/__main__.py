"""python -m casebook.demo OUT_DIR --n 2000 --seed 7 [--start ISO]: write demo conversations."""

from casebook.demo.generator import main

main()
