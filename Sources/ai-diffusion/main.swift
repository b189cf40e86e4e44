import AIDiffusionCLI
SimulateCommand.main()
