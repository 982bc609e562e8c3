from seqae import demo


def test_demo_prints_the_table_and_writes_the_plot(tmp_path, capsys):
    demo.main(["--n-samples", "50", "--n-timesteps", "8", "--max-epochs", "2",
               "--output", str(tmp_path)])
    out = capsys.readouterr().out
    for name in ("| RAE |", "| RAES |", "| RAESC |"):
        assert name in out
    assert "epochs to reach RAE's final" in out
    assert (tmp_path / "validation_loss.png").stat().st_size > 1000
