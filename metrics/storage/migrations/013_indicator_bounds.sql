-- What a value of an indicator may be: at least ``minimum``, at most ``maximum``, a whole number
-- when ``whole`` (NULL: no bound). A value outside is refused at import. The catalogue's built-in
-- indicators take theirs when the store loads the catalogue.
ALTER TABLE indicator ADD COLUMN minimum DOUBLE;
ALTER TABLE indicator ADD COLUMN maximum DOUBLE;
ALTER TABLE indicator ADD COLUMN whole BOOLEAN;
