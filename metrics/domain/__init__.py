"""Domain rules over frames: impact scores, comparison, scaling, outcome contracts and their
finance. Pure computations; never touches storage, spreadsheets or presentation."""
