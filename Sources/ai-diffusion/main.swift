import AIDiffusionCLI

SimulatorDevRoot.main()
