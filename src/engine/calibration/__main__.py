"""`python -m src.engine.calibration`: refit and write the calibration file."""

from src.engine.calibration.adb import write

if __name__ == "__main__":
    print(f"wrote {write()}")
