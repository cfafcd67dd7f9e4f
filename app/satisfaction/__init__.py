"""感受度: a short survey after an event, a camp's lesson series or a traineeship, and what the
answers add up to per occasion, programme and department."""
