"""Reinforcement learning lessons: tabular Q-learning in numpy, deep RL with stable-baselines3."""
