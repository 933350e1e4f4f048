"""Palm-vein biometrics: synthetic near-infrared palms, the study's preprocessing, a small ResNet
and an evaluation on people the network never saw. Heavy libraries (torch) load inside the
functions that need them."""
