"""Local fake servers answering as the real APIs do, on 127.0.0.1 with a free port."""
