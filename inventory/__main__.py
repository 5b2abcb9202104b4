from inventory.cli import main

main()
