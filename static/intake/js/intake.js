/* Built from frontend/ by `npm run build`; do not edit. */
(()=>{})();
