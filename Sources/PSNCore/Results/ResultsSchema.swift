/// The results database's tables, version 1 (documented column by column in docs/results.md).
///
/// Conventions: child tables name their run by `run` = `runs.uuid` (text), not by a local row id,
/// so a merge copies rows as they are; layers are numbered from 1 as in the shell; a REAL that is
/// not finite, and a metric that does not exist (no validation set), is NULL.
enum ResultsSchema {
  /// Bumped whenever a table or column changes meaning; databases of another version are refused.
  static let version = 1

  /// The tables in creation (and merge) order: parents before children.
  static let tables = ["runs", "run_tags", "epochs", "layers", "mask_updates"]

  static let creation = """
    CREATE TABLE meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE runs (
      uuid               TEXT PRIMARY KEY,
      name               TEXT NOT NULL,
      method             TEXT NOT NULL CHECK (method IN ('dense', 'static', 'rigl', 'set')),
      dataset            TEXT NOT NULL,
      model              TEXT NOT NULL,
      sizes              TEXT NOT NULL,
      parameters         INTEGER NOT NULL,
      sparsity           REAL,
      profile            TEXT,
      profile_spec       TEXT,
      seed               INTEGER,
      config             TEXT NOT NULL,
      status             TEXT NOT NULL CHECK (status IN ('finished', 'interrupted')),
      psn_version        TEXT NOT NULL,
      started_at         TEXT NOT NULL,
      recorded_at        TEXT NOT NULL,
      wall_seconds       REAL,
      epochs_planned     INTEGER NOT NULL,
      epochs_done        INTEGER NOT NULL,
      steps              INTEGER NOT NULL,
      train_loss         REAL,
      train_accuracy     REAL,
      val_loss           REAL,
      val_accuracy       REAL,
      test_loss          REAL,
      test_accuracy      REAL,
      samples_per_second REAL
    );
    CREATE TABLE run_tags (
      run    TEXT NOT NULL REFERENCES runs(uuid) ON DELETE CASCADE,
      key    TEXT NOT NULL,
      value  TEXT NOT NULL,
      number REAL,
      PRIMARY KEY (run, key)
    );
    CREATE INDEX run_tags_by_key ON run_tags(key, value);
    CREATE TABLE epochs (
      run                TEXT NOT NULL REFERENCES runs(uuid) ON DELETE CASCADE,
      epoch              INTEGER NOT NULL,
      train_loss         REAL,
      train_accuracy     REAL,
      val_loss           REAL,
      val_accuracy       REAL,
      test_loss          REAL,
      test_accuracy      REAL,
      learning_rate      REAL,
      seconds            REAL,
      samples_per_second REAL,
      PRIMARY KEY (run, epoch)
    );
    CREATE TABLE layers (
      run                    TEXT NOT NULL REFERENCES runs(uuid) ON DELETE CASCADE,
      layer                  INTEGER NOT NULL,
      n_in                   INTEGER NOT NULL,
      n_out                  INTEGER NOT NULL,
      sparse                 INTEGER NOT NULL,
      weights                INTEGER NOT NULL,
      density                REAL,
      fanin_mean             REAL,
      fanin_std              REAL,
      fanin_cv               REAL,
      fanin_gini             REAL,
      fanin_min              INTEGER NOT NULL,
      fanin_max              INTEGER NOT NULL,
      lognormal_mu           REAL,
      lognormal_sigma        REAL,
      hub_fraction           REAL,
      gradient_mean          REAL,
      gradient_concentration REAL,
      fanin_gradient_r       REAL,
      equilibrium_converged  INTEGER,
      equilibrium_step       INTEGER,
      PRIMARY KEY (run, layer)
    );
    CREATE TABLE mask_updates (
      run             TEXT NOT NULL REFERENCES runs(uuid) ON DELETE CASCADE,
      update_index    INTEGER NOT NULL,
      step            INTEGER NOT NULL,
      layer           INTEGER NOT NULL,
      drop_fraction   REAL,
      dropped         INTEGER NOT NULL,
      grown           INTEGER NOT NULL,
      regrown         INTEGER NOT NULL,
      churn           REAL,
      fanin_mean      REAL,
      fanin_cv        REAL,
      fanin_gini      REAL,
      lognormal_mu    REAL,
      lognormal_sigma REAL,
      ks              REAL,
      PRIMARY KEY (run, update_index, layer)
    );
    """
}
