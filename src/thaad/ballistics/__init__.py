"""Ballistic-missile flight: powered flight, free flight and re-entry of N missiles at once.

The shared result type is :class:`thaad.ballistics.trajectory.TrajectorySet`.
"""

from thaad.ballistics.trajectory import TrajectorySet

__all__ = ["TrajectorySet"]
