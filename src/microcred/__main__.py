from microcred.cli.main import main

main()
