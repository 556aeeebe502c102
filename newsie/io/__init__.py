"""Input and output: reading article folders, removing page furniture, writing Parquet."""
